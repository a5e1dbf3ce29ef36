/**
 * The `servicerequestupdates` extension, both ways. Out: the public steps of the orders this key may see
 * (dispatch, sign, reply, close, reopen…), plus the key's own updates, in a date window. In: a client's update
 * becomes a comment (备注) on the order, once per update_id; a client cannot close an order, so a status it
 * sends is recorded in the comment's text.
 */
import { and, asc, eq, gte, inArray, lte, or } from 'drizzle-orm';
import { actionLabels, orderStateLabels, type ActionKind, type OrderState } from '../../domain/order/index.js';
import { DomainError, notFound, type FieldProblem } from '../../domain/errors.js';
import type { Db } from '../../store/db.js';
import { open311InboundUpdates, orderEvents, orders } from '../../store/schema/index.js';
import type { ApiPrincipal } from '../integrations/apiKeys.js';
import { visibleCondition } from '../orders/orderRecord.js';
import { transitionOrder } from '../orders/transitionOrder.js';
import { maskText, open311Status, w3c } from './present.js';

export type Open311Update = { updateId: string; serviceRequestId: string; status: 'open' | 'closed'; updatedDatetime: string | null; description: string; mediaUrl: string | null };

const publicTypes = ['accept', 'dispatch', 'approve_return', 'sign', 'respond', 'start_handling', 'reply', 'follow_up', 'close', 'close_direct', 'reopen', 'terminate', 'mark_invalid', 'merge', 'park', 'unpark'];

export const MAX_UPDATES = 1000;

function describe(type: string, toState: string | null, data: Record<string, unknown>): string {
  const label = type === 'accept' ? '受理' : (actionLabels[type as ActionKind] ?? type);
  const state = toState ? (orderStateLabels[toState as OrderState] ?? toState) : '';
  const text = typeof data.text === 'string' ? data.text : typeof data.answer === 'string' ? data.answer : typeof data.reason === 'string' ? data.reason : '';
  return maskText([`${label}${state && type !== 'comment' ? `：${state}` : ''}`, text].filter(Boolean).join('。'));
}

export async function listServiceRequestUpdates(args: { db: Db; principal: ApiPrincipal; start: Date; end: Date }): Promise<Open311Update[]> {
  const { db, principal, start, end } = args;
  const rows = await db
    .select({ e: orderEvents, no: orders.no })
    .from(orderEvents)
    .innerJoin(orders, eq(orders.id, orderEvents.orderId))
    .where(and(gte(orderEvents.at, start), lte(orderEvents.at, end), visibleCondition(principal.actor), or(inArray(orderEvents.type, publicTypes), and(eq(orderEvents.type, 'comment'), eq(orderEvents.actorId, principal.actor.userId)))))
    .orderBy(asc(orderEvents.at), asc(orderEvents.id))
    .limit(MAX_UPDATES);
  return rows.map(({ e, no }) => ({
    updateId: String(e.id),
    serviceRequestId: no,
    status: open311Status(e.toState ?? ''),
    updatedDatetime: w3c(e.at),
    description: describe(e.type, e.toState, e.data),
    mediaUrl: typeof e.data.mediaUrl === 'string' ? e.data.mediaUrl : null,
  }));
}

export type UpdateFields = { service_request_id?: string | undefined; update_id?: string | undefined; status?: string | undefined; description?: string | undefined; media_url?: string | undefined; updated_datetime?: string | undefined };

/** postServiceRequestUpdate({ db, principal, fields: { service_request_id: 'GD…', update_id: 'u-17', status: 'open', description: '现场又冒烟了' }, now }) */
export async function postServiceRequestUpdate(args: { db: Db; principal: ApiPrincipal; fields: UpdateFields; now: Date }): Promise<{ updateId: string; replayed: boolean }> {
  const { db, principal, fields: f, now } = args;
  const problems: FieldProblem[] = [];
  const id = f.service_request_id?.trim();
  const updateId = f.update_id?.trim();
  const description = f.description?.trim() ?? '';
  if (!id) problems.push({ field: 'service_request_id', reason: '必填' });
  if (!updateId) problems.push({ field: 'update_id', reason: '必填' });
  else if (updateId.length > 100) problems.push({ field: 'update_id', reason: '过长（最多 100 个字符）' });
  if (f.status !== undefined && f.status !== 'open' && f.status !== 'closed') problems.push({ field: 'status', reason: '取值无效（可选：open、closed）' });
  if (!description) problems.push({ field: 'description', reason: '必填' });
  else if ([...description].length > 2000) problems.push({ field: 'description', reason: '过长（最多 2000 个字符）' });
  if (f.media_url !== undefined && (!/^https?:\/\/\S+$/.test(f.media_url) || f.media_url.length > 500)) problems.push({ field: 'media_url', reason: '不是有效的 http(s) 网址' });
  if (problems.length || !id || !updateId) throw new DomainError('VALIDATION_FAILED', `请求参数有误：${problems.map((p) => `${p.field}（${p.reason}）`).join('；')}`, problems);

  const [order] = await db.select({ id: orders.id, version: orders.version }).from(orders).where(and(eq(orders.no, id), visibleCondition(principal.actor))).limit(1);
  if (!order) throw notFound(`诉求 ${id.slice(0, 40)} `);
  // The update_id is claimed first, so a retried or concurrent post of the same update adds one comment only.
  const [claimed] = await db.insert(open311InboundUpdates).values({ keyId: principal.keyId, updateId, orderId: order.id, status: f.status ?? null, at: now }).onConflictDoNothing().returning({ updateId: open311InboundUpdates.updateId });
  if (!claimed) return { updateId, replayed: true };
  const text = [description, f.status === 'closed' ? '（对方系统标记为已解决）' : '', f.media_url ? `图片：${f.media_url}` : ''].filter(Boolean).join('\n');
  try {
    // A comment does not depend on the order's state: a concurrent step only changes the version, so try again once with the new one.
    await transitionOrder({ db, actor: principal.actor, orderId: order.id, version: order.version, input: { action: 'comment', text }, now }).catch(async (err: unknown) => {
      if (!(err instanceof DomainError && err.code === 'VERSION_CONFLICT')) throw err;
      const [fresh] = await db.select({ version: orders.version }).from(orders).where(eq(orders.id, order.id));
      await transitionOrder({ db, actor: principal.actor, orderId: order.id, version: fresh?.version ?? order.version, input: { action: 'comment', text }, now });
    });
  } catch (err) {
    await db.delete(open311InboundUpdates).where(and(eq(open311InboundUpdates.keyId, principal.keyId), eq(open311InboundUpdates.updateId, updateId)));
    throw err;
  }
  return { updateId, replayed: false };
}

