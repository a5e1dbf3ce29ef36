/** The order as its viewer may see it: summary, history, clocks, units, masked contact, what they may do now. */
import { asc, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { clockStatus, type ClockStatus } from '../../domain/deadline/index.js';
import { maskName, maskPhone } from '../../domain/masking.js';
import { allowedActions, type OrderState } from '../../domain/order/index.js';
import type { Db, DbOrTx } from '../../store/db.js';
import { attachments, categories, orderClocks, orderEvents, requests, units } from '../../store/schema/index.js';
import { clockView, rowToClock, type ClockView } from './clocks.js';
import { loadVisibleOrder, toSnapshot, type OrderRecord, type OrderRow } from './orderRecord.js';

type Named = { code: string; name: string } | null;

export type OrderSummary = {
  id: string;
  no: string;
  state: OrderState;
  type: string;
  title: string;
  category: Named;
  urgency: string;
  district: Named;
  street: Named;
  leadUnit: Named;
  acceptedAt: string;
  dueAt: string | null;
  signDueAt: string | null;
  responseDueAt: string | null;
  overdue: boolean;
  clockStatus: ClockStatus | null;
  extensionPending: boolean;
  reopenCount: number;
  version: number;
  channel: string;
};

export type OrderDetail = OrderSummary & {
  body: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
  community: Named;
  coUnits: { code: string; name: string; signedAt: string | null }[];
  contact: { name: string | null; phone: string | null };
  requesterCount: number;
  clocks: ClockView[];
  history: { id: number; at: string; type: string; from: string | null; to: string | null; actor: { name: string | null; role: string | null; unit: string | null }; data: Record<string, unknown> }[];
  allowedActions: string[];
  attachments: { id: string; name: string; type: string; size: number; url: string }[];
  reply: { text: string; at: string | null } | null;
  followUp: { resolution: string | null; satisfaction: string | null; at: string | null } | null;
  extension: Record<string, unknown> | null;
  proposal: Record<string, unknown> | null;
  assessmentExcluded: boolean;
};

/** Names for the unit and category codes of a set of orders, in two queries. */
export async function namesFor(db: DbOrTx, rows: OrderRow[], extraUnitIds: string[] = []): Promise<{ unit: (id: string | null) => Named; category: (id: string | null) => Named }> {
  const unitIds = [...new Set([...rows.flatMap((r) => [r.districtId, r.streetId, r.communityId, r.leadUnitId]), ...extraUnitIds].filter((x): x is string => !!x))];
  const catIds = [...new Set(rows.map((r) => r.categoryId).filter((x): x is string => !!x))];
  const [us, cs] = await Promise.all([
    unitIds.length ? db.select({ id: units.id, name: units.name }).from(units).where(inArray(units.id, unitIds)) : [],
    catIds.length ? db.select({ id: categories.id, name: categories.name }).from(categories).where(inArray(categories.id, catIds)) : [],
  ]);
  const um = new Map(us.map((u) => [u.id, u.name]));
  const cm = new Map(cs.map((c) => [c.id, c.name]));
  return {
    unit: (id) => (id ? { code: id, name: um.get(id) ?? id } : null),
    category: (id) => (id ? { code: id, name: cm.get(id) ?? id } : null),
  };
}

export function summaryOf(row: OrderRow, names: Awaited<ReturnType<typeof namesFor>>, clocks: (typeof orderClocks.$inferSelect)[], now: Date): OrderSummary {
  const by = (k: string) => clocks.find((c) => c.kind === k);
  const reply = by('reply');
  const statuses = clocks.map((c) => clockStatus(rowToClock(c), now));
  const worst = (['overdue', 'warning', 'paused', 'running', 'met_late', 'met'] as const).find((s) => statuses.includes(s)) ?? null;
  const ext = row.extension as { state?: string } | null;
  return {
    id: row.id,
    no: row.no,
    state: row.state as OrderState,
    type: row.type,
    title: row.title,
    category: names.category(row.categoryId),
    urgency: row.urgency,
    district: names.unit(row.districtId),
    street: names.unit(row.streetId),
    leadUnit: names.unit(row.leadUnitId),
    acceptedAt: row.acceptedAt.toISOString(),
    dueAt: reply?.dueAt.toISOString() ?? row.replyDueAt?.toISOString() ?? null,
    signDueAt: by('sign')?.dueAt.toISOString() ?? null,
    responseDueAt: by('response')?.dueAt.toISOString() ?? null,
    overdue: statuses.includes('overdue'),
    clockStatus: worst,
    extensionPending: ext?.state === 'pending',
    reopenCount: row.reopenCount,
    version: row.version,
    channel: row.channel,
  };
}

/** What an order's page is made of, as stored. */
export type OrderParts = {
  rec: OrderRecord;
  clocks: (typeof orderClocks.$inferSelect)[];
  events: (typeof orderEvents.$inferSelect)[];
  requesters: { id: string; name: string | null; phone: string | null }[];
  files: (typeof attachments.$inferSelect)[];
};

export type Names = Awaited<ReturnType<typeof namesFor>>;

/** The order as `actor` sees it, from its stored parts (no I/O: intake presents what it has just written). */
export function presentOrder(parts: OrderParts, names: Names, actor: Actor, now: Date): OrderDetail {
  const { rec, clocks, events, requesters, files } = parts;
  const { row } = rec;
  const activeUnits = rec.units.filter((u) => u.active);
  const primary = requesters.find((r) => r.id === row.requestId) ?? requesters[0];
  return {
    ...summaryOf(row, names, clocks, now),
    body: row.body,
    address: row.address,
    lat: row.lat,
    lng: row.lng,
    community: names.unit(row.communityId),
    coUnits: activeUnits.filter((u) => u.role === 'co').map((u) => ({ code: u.unitId, name: names.unit(u.unitId)?.name ?? u.unitId, signedAt: u.signedAt?.toISOString() ?? null })),
    // PIPL: masked for every viewer; the full number is a separate, audited read (revealContact).
    contact: { name: maskName(primary?.name), phone: maskPhone(primary?.phone) },
    requesterCount: requesters.length,
    clocks: clocks.map((c) => clockView(c, now)),
    history: events.map((e) => ({ id: e.id, at: e.at.toISOString(), type: e.type, from: e.fromState, to: e.toState, actor: { name: e.actorName, role: e.actorRole, unit: names.unit(e.actorUnitId)?.name ?? null }, data: e.data })),
    allowedActions: allowedActions(toSnapshot(rec), actor, now),
    attachments: files.map((f) => ({ id: f.id, name: f.name, type: f.mime, size: f.size, url: `/api/v1/attachments/${f.id}` })),
    reply: row.replyText ? { text: row.replyText, at: row.repliedAt?.toISOString() ?? null } : null,
    followUp: row.resolution ? { resolution: row.resolution, satisfaction: row.satisfaction, at: row.followedUpAt?.toISOString() ?? null } : null,
    extension: row.extension ?? null,
    proposal: row.proposal ?? null,
    assessmentExcluded: row.assessmentExcluded,
  };
}

export async function getOrder(args: { db: Db; actor: Actor; orderId: string; now: Date }): Promise<OrderDetail> {
  const { db, actor, now } = args;
  const rec = await loadVisibleOrder(db, actor, args.orderId);
  const { row } = rec;
  const [clocks, events, requesters, files] = await Promise.all([
    db.select().from(orderClocks).where(eq(orderClocks.orderId, row.id)),
    db.select().from(orderEvents).where(eq(orderEvents.orderId, row.id)).orderBy(asc(orderEvents.id)),
    db.select({ id: requests.id, name: requests.contactName, phone: requests.contactPhone }).from(requests).where(eq(requests.orderId, row.id)),
    db.select().from(attachments).where(inArray(attachments.ownerId, [row.requestId, row.id])),
  ]);
  const eventUnitIds = events.map((e) => e.actorUnitId).filter((x): x is string => !!x);
  const names = await namesFor(db, [row], [...rec.units.filter((u) => u.active).map((u) => u.unitId), ...eventUnitIds]);
  return presentOrder({ rec, clocks, events, requesters, files }, names, actor, now);
}
