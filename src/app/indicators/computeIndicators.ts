/**
 * Compute every indicator of the catalogue for the units of some levels inside one area, in a few grouped scans:
 * one over orders (GROUPING SETS, one set per level), one for open orders by state, one for the month's orders by
 * category, one over open alarms and one over the latest sensor readings. Units with nothing to count get zeros.
 *
 * Where things are counted: orders in the place where they are located (district, street and community columns
 * of the order) and, for a grid, the orders dispatched to that grid; alarms and sensors by the unit path of the
 * place they lie in (`unit_path`, grid by `grid_id`).
 */
import { sql, type SQL } from 'drizzle-orm';
import { monthOf, monthRange, type AssessmentPolicy } from '../../domain/assessment/index.js';
import { shanghaiDate, startOfShanghaiDay } from '../../domain/deadline/index.js';
import { evaluate, type IndicatorDefinition, type IndicatorLevel, type IndicatorReading, type ThresholdSet } from '../../domain/indicator/index.js';
import { finalStates, orderStateLabels, isOrderState } from '../../domain/order/states.js';
import { queryRows, type DbOrTx } from '../../store/db.js';
import { getReference, type Reference } from '../reference/referenceCache.js';

export type IndicatorArea = { id: string; name: string; level: IndicatorLevel; path: string };
export type AreaUnit = { id: string; name: string; level: IndicatorLevel; parentId: string | null; path: string };
export type Computed = { value: number | null; breakdown: IndicatorReading['breakdown'] };
export type ComputedValues = { at: Date; units: AreaUnit[]; values: Map<string, Map<string, Computed>> };

export const alarmSeverityLabels: Record<string, string> = { critical: '特别严重', major: '严重', minor: '一般', warning: '提示' };

const esc = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The units of `levels` inside the area (the area itself when its level is asked), from the cached reference. */
export function unitsInArea(ref: Reference, area: IndicatorArea, levels: readonly IndicatorLevel[]): AreaUnit[] {
  const out: AreaUnit[] = [];
  for (const u of ref.units.values()) {
    if (!u.active || !(levels as readonly string[]).includes(u.level) || !u.path.startsWith(area.path)) continue;
    out.push({ id: u.id, name: u.name, level: u.level as IndicatorLevel, parentId: u.parentId, path: u.path });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Per level, the expression of an order's place at that level, and the condition that keeps orders in the area. */
function orderPlace(level: IndicatorLevel, cityId: string): SQL {
  switch (level) {
    case 'city':
      return sql`${cityId}::text`;
    case 'district':
      return sql`o.district_id`;
    case 'street':
      return sql`o.street_id`;
    case 'community':
      return sql`o.community_id`;
    case 'grid':
      return sql`(CASE WHEN o.lead_unit_id IN (SELECT id FROM units WHERE level = 'grid') THEN o.lead_unit_id END)`;
  }
}

/** Path-based place of a cityops row (alarm, sensor): segment of `unit_path` at the level; the grid by its own column. */
function pathPlace(level: IndicatorLevel, cityId: string, alias: string): SQL {
  const col = sql.raw(`${alias}.unit_path`);
  switch (level) {
    case 'city':
      return sql`${cityId}::text`;
    case 'district':
      return sql`nullif(split_part(${col}, '/', 3), '')`;
    case 'street':
      return sql`nullif(split_part(${col}, '/', 4), '')`;
    case 'community':
      return sql`nullif(split_part(${col}, '/', 5), '')`;
    case 'grid':
      return sql.raw(`${alias}.grid_id`);
  }
}

function orderAreaCondition(area: IndicatorArea): SQL {
  switch (area.level) {
    case 'city':
      return sql`true`;
    case 'district':
      return sql`o.district_id = ${area.id}`;
    case 'street':
      return sql`o.street_id = ${area.id}`;
    case 'community':
      return sql`o.community_id = ${area.id}`;
    case 'grid':
      return sql`o.lead_unit_id = ${area.id}`;
  }
}

/** `GROUPING SETS ((p0), (p1) …)` over the levels' place columns `p<i>`, with the level of each row. */
function groupingSets(levels: readonly IndicatorLevel[], extra = ''): { sets: SQL; levelOf: SQL; placeOf: SQL } {
  const sets = sql.raw(`GROUPING SETS (${levels.map((_, i) => `(p${i}${extra})`).join(', ')})`);
  const levelOf = sql.raw(`CASE ${levels.map((l, i) => `WHEN grouping(p${i}) = 0 THEN '${l}'`).join(' ')} END`);
  const placeOf = sql.raw(`COALESCE(${levels.map((_, i) => `CASE WHEN grouping(p${i}) = 0 THEN p${i} END`).join(', ')})`);
  return { sets, levelOf, placeOf };
}

const placeColumns = (levels: readonly IndicatorLevel[], place: (l: IndicatorLevel) => SQL): SQL =>
  sql.join(
    levels.map((l, i) => sql`${place(l)} AS ${sql.raw(`p${i}`)}`),
    sql`, `,
  );

type OrderRow = { level: string; place: string | null; open: number; new_today: number; overdue_open: number; month_accepted: number; resp_met: number; resp_late: number; fu: number; resolved: number; partly: number; satisfied: number; basic: number; unsatisfied: number };
type PartRow = { level: string; place: string | null; part: string | null; n: number };

/**
 * All indicators for the units of `levels` inside `area` as they stand at `now`.
 * @example computeIndicators({ db, area: city, levels: ['city', 'district', 'street'], catalogue, policy, now })
 */
export async function computeIndicators(args: { db: DbOrTx; area: IndicatorArea; levels: readonly IndicatorLevel[]; catalogue: readonly IndicatorDefinition[]; policy: Pick<AssessmentPolicy, 'partlyResolvedCredit' | 'basicSatisfiedCredit'>; now: Date }): Promise<ComputedValues> {
  const { db, area, levels, catalogue, policy, now } = args;
  const ref = await getReference(db);
  const cityId = [...ref.units.values()].find((u) => u.level === 'city')?.id ?? '110000';
  const units = unitsInArea(ref, area, levels);
  const dayStart = startOfShanghaiDay(shanghaiDate(now));
  const monthStart = monthRange(monthOf(now)).from;
  const finals = sql.join(
    finalStates.map((s) => sql`${s}`),
    sql`, `,
  );
  const g = groupingSets(levels);
  const gPart = groupingSets(levels, ', part');
  const inArea = orderAreaCondition(area);
  const places = placeColumns(levels, (l) => orderPlace(l, cityId));

  const wants = (kind: IndicatorDefinition['kind']) => catalogue.some((d) => d.kind === kind);
  const pathPrefix = `${esc(area.path)}%`;

  const [orderRows, stateRows, categoryRows, alarmRows] = await Promise.all([
    queryRows<OrderRow>(
      db,
      sql`SELECT ${g.levelOf} AS level, ${g.placeOf} AS place,
        count(*) FILTER (WHERE open)::int AS open,
        count(*) FILTER (WHERE accepted_at >= ${dayStart})::int AS new_today,
        count(*) FILTER (WHERE open AND overdue)::int AS overdue_open,
        count(*) FILTER (WHERE accepted_at >= ${monthStart})::int AS month_accepted,
        count(*) FILTER (WHERE accepted_at >= ${monthStart} AND assessed AND response_met)::int AS resp_met,
        count(*) FILTER (WHERE accepted_at >= ${monthStart} AND assessed AND NOT response_met)::int AS resp_late,
        count(*) FILTER (WHERE fu)::int AS fu,
        count(*) FILTER (WHERE fu AND last_resolution = 'resolved')::int AS resolved,
        count(*) FILTER (WHERE fu AND last_resolution = 'partly')::int AS partly,
        count(*) FILTER (WHERE fu AND last_satisfaction = 'satisfied')::int AS satisfied,
        count(*) FILTER (WHERE fu AND last_satisfaction = 'basic')::int AS basic,
        count(*) FILTER (WHERE fu AND last_satisfaction = 'unsatisfied')::int AS unsatisfied
      FROM (SELECT ${places}, o.state NOT IN (${finals}) AS open, o.accepted_at, o.overdue, o.response_met,
              o.lead_unit_id IS NOT NULL AND NOT o.assessment_excluded AS assessed,
              (o.last_followed_up_at >= ${monthStart} AND NOT o.assessment_excluded) AS fu,
              o.last_resolution, o.last_satisfaction
            FROM orders o
            WHERE ${inArea} AND (o.state NOT IN (${finals}) OR o.accepted_at >= ${monthStart} OR o.last_followed_up_at >= ${monthStart})) x
      GROUP BY ${g.sets}`,
    ),
    wants('orders_open_by_state')
      ? queryRows<PartRow>(db, sql`SELECT ${gPart.levelOf} AS level, ${gPart.placeOf} AS place, part, count(*)::int AS n FROM (SELECT ${places}, o.state AS part FROM orders o WHERE ${inArea} AND o.state NOT IN (${finals})) x GROUP BY ${gPart.sets}`)
      : Promise.resolve([]),
    wants('orders_month_by_category')
      ? queryRows<PartRow>(db, sql`SELECT ${gPart.levelOf} AS level, ${gPart.placeOf} AS place, part, count(*)::int AS n FROM (SELECT ${places}, split_part(coalesce(o.category_id, ''), '.', 1) AS part FROM orders o WHERE ${inArea} AND o.accepted_at >= ${monthStart}) x GROUP BY ${gPart.sets}`)
      : Promise.resolve([]),
    wants('alarms_open_by_severity')
      ? queryRows<PartRow>(db, sql`SELECT ${gPart.levelOf} AS level, ${gPart.placeOf} AS place, part, count(*)::int AS n FROM (SELECT ${placeColumns(levels, (l) => pathPlace(l, cityId, 'a'))}, a.severity AS part FROM alarms a WHERE a.state <> 'cleared' AND a.unit_path LIKE ${pathPrefix}) x GROUP BY ${gPart.sets}`)
      : Promise.resolve([]),
  ]);

  // Sensor aggregates: one grouped query per metric and aggregate over the latest reading of each sensor in the window.
  const sensorDefs = catalogue.filter((d) => d.kind === 'sensor_aggregate' && d.params);
  const sensorRows = new Map<string, { level: string; place: string | null; v: number | null }[]>();
  for (const d of sensorDefs) {
    const p = d.params!;
    const agg = sql.raw({ avg: 'avg', max: 'max', min: 'min' }[p.aggregate]);
    const since = new Date(now.getTime() - p.windowMinutes * 60_000);
    sensorRows.set(
      d.key,
      await queryRows(
        db,
        sql`SELECT ${g.levelOf} AS level, ${g.placeOf} AS place, ${agg}(v)::float8 AS v FROM (SELECT ${placeColumns(levels, (l) => pathPlace(l, cityId, 's'))}, sl.value AS v FROM sensor_latest sl JOIN sensors s ON s.id = sl.sensor_id WHERE s.active AND sl.metric = ${p.metric} AND sl.ts >= ${since} AND sl.ts <= ${now} AND s.unit_path LIKE ${pathPrefix}) x GROUP BY ${g.sets}`,
      ),
    );
  }

  const k = (level: string, place: string | null) => `${level}|${place ?? ''}`;
  const orderBy = new Map(orderRows.map((r) => [k(r.level, r.place), r]));
  const parts = (rows: PartRow[], name: (code: string) => string) => {
    const m = new Map<string, NonNullable<Computed['breakdown']>>();
    for (const r of rows) {
      if (r.part === null) continue;
      const key = k(r.level, r.place);
      if (!m.has(key)) m.set(key, []);
      m.get(key)!.push({ code: r.part, name: name(r.part), count: r.n });
    }
    for (const list of m.values()) list.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
    return m;
  };
  const byState = parts(stateRows, (s) => (isOrderState(s) ? orderStateLabels[s] : s));
  const byCategory = parts(categoryRows, (c) => (c === '' ? '未分类' : (ref.categories.get(c)?.name ?? c)));
  const bySeverity = parts(alarmRows, (s) => alarmSeverityLabels[s] ?? s);
  const sensorBy = new Map([...sensorRows].map(([key, rows]) => [key, new Map(rows.map((r) => [k(r.level, r.place), r.v]))]));

  const ratio = (num: number, den: number) => (den > 0 ? num / den : null);
  const values = new Map<string, Map<string, Computed>>();
  for (const u of units) {
    const key = k(u.level, u.id);
    const o = orderBy.get(key);
    const sum = (list: Computed['breakdown'] | undefined) => (list ?? []).reduce((s, p) => s + p.count, 0);
    const m = new Map<string, Computed>();
    for (const d of catalogue) {
      let c: Computed;
      switch (d.kind) {
        case 'orders_open_by_state':
          c = { value: o?.open ?? 0, breakdown: byState.get(key) ?? [] };
          break;
        case 'orders_month_by_category':
          c = { value: o?.month_accepted ?? 0, breakdown: byCategory.get(key) ?? [] };
          break;
        case 'orders_new_today':
          c = { value: o?.new_today ?? 0, breakdown: null };
          break;
        case 'orders_overdue_open':
          c = { value: o?.overdue_open ?? 0, breakdown: null };
          break;
        case 'response_rate_month':
          c = { value: o ? ratio(o.resp_met, o.resp_met + o.resp_late) : null, breakdown: null };
          break;
        case 'resolution_rate_month':
          c = { value: o ? ratio(o.resolved + o.partly * policy.partlyResolvedCredit, o.fu) : null, breakdown: null };
          break;
        case 'satisfaction_rate_month':
          c = { value: o ? ratio(o.satisfied + o.basic * policy.basicSatisfiedCredit, o.satisfied + o.basic + o.unsatisfied) : null, breakdown: null };
          break;
        case 'alarms_open_by_severity': {
          const list = bySeverity.get(key) ?? [];
          c = { value: sum(list), breakdown: list };
          break;
        }
        case 'sensor_aggregate':
          c = { value: sensorBy.get(d.key)?.get(key) ?? null, breakdown: null };
          break;
      }
      m.set(d.key, c);
    }
    values.set(u.id, m);
  }
  return { at: now, units, values };
}

/** Colour computed values with the thresholds in force. */
export function readingsOf(unit: AreaUnit, computed: Map<string, Computed> | undefined, catalogue: readonly IndicatorDefinition[], thresholds: Map<string, ThresholdSet>): IndicatorReading[] {
  return catalogue.map((d) => evaluate(d, unit.level, computed?.get(d.key) ?? { value: null, breakdown: null }, thresholds.get(d.key) ?? d.defaultThresholds));
}
