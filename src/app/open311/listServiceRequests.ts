/**
 * Open311 `GET requests`, `GET requests/{id}` and `GET tokens/{token}`: the orders this key may see (its owner
 * unit's jurisdiction and its services), as the spec shapes them. Contact details are never part of it.
 */
import { and, desc, eq, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { orderStateLabels, orderStates, type OrderState } from '../../domain/order/index.js';
import type { Db } from '../../store/db.js';
import { categories, orders, requests, units } from '../../store/schema/index.js';
import { visibleCondition } from '../orders/orderRecord.js';
import { maskText, open311Status, splitMedia, statesOf, w3c } from './present.js';

export type Open311Request = {
  serviceRequestId: string;
  token: string | null;
  status: 'open' | 'closed';
  statusNotes: string;
  serviceName: string | null;
  serviceCode: string | null;
  description: string;
  agencyResponsible: string | null;
  serviceNotice: string;
  requestedDatetime: string | null;
  updatedDatetime: string | null;
  expectedDatetime: string | null;
  address: string | null;
  addressId: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  mediaUrl: string | null;
};

export type RequestFilter = { ids?: string[] | undefined; tokens?: string[] | undefined; serviceCodes?: string[] | undefined; start?: Date | undefined; end?: Date | undefined; status?: ('open' | 'closed')[] | undefined };

const urgencyNotice: Record<string, string> = { emergency: '紧急诉求', utility: '水电气热诉求', general: '一般诉求', complex: '复杂诉求' };

export const MAX_REQUESTS = 1000;

/** listServiceRequests({ db, actor, services: null, filter: { status: ['open'] }, now }) → up to 1000, newest first. */
export async function listServiceRequests(args: { db: Db; actor: Actor; services: string[] | null; filter: RequestFilter; now: Date }): Promise<Open311Request[]> {
  const { db, actor, services, filter: f, now } = args;
  const conds: (SQL | undefined)[] = [visibleCondition(actor)];
  if (services) conds.push(or(...services.map((s) => or(eq(orders.categoryId, s), sql`${orders.categoryId} LIKE ${`${s.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`}`))));
  if (f.ids?.length) conds.push(inArray(orders.no, f.ids));
  if (f.tokens?.length) conds.push(inArray(requests.no, f.tokens));
  if (f.serviceCodes?.length) conds.push(inArray(orders.categoryId, f.serviceCodes));
  if (f.status?.length) conds.push(inArray(orders.state, f.status.flatMap((s) => statesOf(s, orderStates))));
  // The spec's default window: the last 90 days, unless ids or dates are given.
  const start = f.start ?? (f.ids?.length || f.tokens?.length || f.end ? undefined : new Date(now.getTime() - 90 * 86_400_000));
  if (start) conds.push(gte(orders.acceptedAt, start));
  if (f.end) conds.push(lte(orders.acceptedAt, f.end));
  const rows = await db
    .select({ o: orders, requestNo: requests.no, categoryName: categories.name, leadName: units.name })
    .from(orders)
    .leftJoin(requests, eq(requests.id, orders.requestId))
    .leftJoin(categories, eq(categories.id, orders.categoryId))
    .leftJoin(units, eq(units.id, orders.leadUnitId))
    .where(and(...conds))
    .orderBy(desc(orders.acceptedAt), desc(orders.id))
    .limit(MAX_REQUESTS);
  return rows.map(({ o, requestNo, categoryName, leadName }) => {
    const status = open311Status(o.state);
    const label = orderStateLabels[o.state as OrderState] ?? o.state;
    const { description, mediaUrl } = splitMedia(o.body);
    return {
      serviceRequestId: o.no,
      token: requestNo,
      status,
      statusNotes: status === 'closed' && o.replyText ? maskText(o.replyText) : leadName && status === 'open' ? `${label}（${leadName}）` : label,
      serviceName: categoryName,
      serviceCode: o.categoryId,
      description: maskText(description),
      agencyResponsible: leadName,
      serviceNotice: `${urgencyNotice[o.urgency] ?? '诉求'}，${label}`,
      requestedDatetime: w3c(o.acceptedAt),
      updatedDatetime: w3c(o.updatedAt),
      expectedDatetime: w3c(o.replyDueAt),
      address: o.address,
      addressId: o.communityId ?? o.streetId ?? o.districtId,
      zipcode: null,
      lat: o.lat,
      long: o.lng,
      mediaUrl,
    };
  });
}
