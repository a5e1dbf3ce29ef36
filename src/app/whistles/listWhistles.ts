/** Whistle lists: what the actor may see (the street, summoned units, those above), filtered, newest first. */
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { invalid } from '../../domain/errors.js';
import * as rules from '../../domain/whistle/index.js';
import type { Db } from '../../store/db.js';
import { whistleOrders, whistleUnits, whistles } from '../../store/schema/index.js';
import { toWhistle, unitInfo, visibleWhistleCondition } from './whistleRecord.js';

export type WhistleFilter = {
  state?: 'open' | 'closed' | undefined;
  street?: string | undefined;
  /** A summoned unit's code: the whistles it was called to. */
  unit?: string | undefined;
  kind?: rules.WhistleKind | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
};

export type WhistleSummaryView = {
  id: string;
  no: string;
  kind: rules.WhistleKind;
  kindLabel: string;
  state: 'open' | 'closed';
  street: { code: string; name: string };
  reason: string;
  place: string;
  meetAt: string;
  reportDueAt: string;
  blownAt: string;
  closedAt: string | null;
  reportIns: { summoned: number; onTime: number; late: number; missing: number; waiting: number };
  orderCount: number;
};

function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const d = new Date(at ?? '');
  if (!id || Number.isNaN(d.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw invalid('cursor', '分页游标无效');
  return { at: d, id };
}

/** listWhistles({ db, actor, filter: { state: 'open' }, limit: 50, now }) → { items, nextCursor } (keyset paging on blown time). */
export async function listWhistles(args: { db: Db; actor: Actor; filter: WhistleFilter; limit: number; cursor?: string | undefined; now: Date }): Promise<{ items: WhistleSummaryView[]; nextCursor: string | null }> {
  const { db, actor, filter: f, now } = args;
  const conds: SQL[] = [];
  const vis = visibleWhistleCondition(actor);
  if (vis) conds.push(vis);
  if (f.state) conds.push(eq(whistles.state, f.state));
  if (f.street) conds.push(eq(whistles.streetId, f.street));
  if (f.kind) conds.push(eq(whistles.kind, f.kind));
  if (f.unit) conds.push(sql`EXISTS (SELECT 1 FROM ${whistleUnits} wu WHERE wu.whistle_id = ${whistles.id} AND wu.unit_id = ${f.unit})`);
  if (f.from) conds.push(sql`${whistles.createdAt} >= ${f.from}`);
  if (f.to) conds.push(sql`${whistles.createdAt} < ${f.to}`);
  if (args.cursor) {
    const c = decodeCursor(args.cursor);
    conds.push(sql`(${whistles.createdAt}, ${whistles.id}) < (${c.at}, ${c.id})`);
  }
  const rows = await db
    .select()
    .from(whistles)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(whistles.createdAt), desc(whistles.id))
    .limit(args.limit + 1);
  const page = rows.slice(0, args.limit);
  const ids = page.map((r) => r.id);
  const [unitRows, orderRows] = ids.length
    ? await Promise.all([db.select().from(whistleUnits).where(inArray(whistleUnits.whistleId, ids)), db.select().from(whistleOrders).where(inArray(whistleOrders.whistleId, ids))])
    : [[], []];
  const info = await unitInfo(db, [...page.map((r) => r.streetId), ...unitRows.map((u) => u.unitId)]);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => {
      const w = toWhistle({
        row,
        streetPath: info.get(row.streetId)?.path ?? '',
        unitRows: unitRows.filter((u) => u.whistleId === row.id),
        unitLevels: info,
        orderRows: orderRows.filter((o) => o.whistleId === row.id),
        events: [],
      });
      const s = rules.whistleSummary(w, now);
      return {
        id: row.id,
        no: row.no,
        kind: w.kind,
        kindLabel: rules.whistleKindLabels[w.kind],
        state: w.status,
        street: { code: row.streetId, name: info.get(row.streetId)?.name ?? row.streetId },
        reason: w.reason,
        place: w.place,
        meetAt: w.meetAt.toISOString(),
        reportDueAt: w.reportDueAt.toISOString(),
        blownAt: w.blownAt.toISOString(),
        closedAt: w.closedAt?.toISOString() ?? null,
        reportIns: { summoned: w.summoned.length, onTime: s.onTime.length, late: s.late.length, missing: s.missing.length, waiting: s.waiting.length },
        orderCount: w.orderIds.length,
      };
    }),
    nextCursor: rows.length > args.limit && last ? encodeCursor(last) : null,
  };
}
