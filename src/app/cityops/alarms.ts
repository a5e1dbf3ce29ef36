/** Reading alarms as the actor may see them: a street sees the alarms in its area and those assigned to it. */
import { and, asc, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, invalid } from '../../domain/errors.js';
import { alarmStateLabels, allowedAlarmActions, severityLabels, sourceTypeLabels, type AlarmState, type Severity, type SourceType } from '../../domain/alarm/index.js';
import type { DbOrTx, Tx } from '../../store/db.js';
import { publishLive } from '../outbox/publish.js';
import { alarmEvents, alarms, alertModels, units } from '../../store/schema/index.js';

export type AlarmRow = typeof alarms.$inferSelect;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SQL: the alarm lies in the actor's scope or is assigned to a unit in it. Citizens see none. */
export function alarmVisible(actor: Actor): SQL {
  if (!actor.scopePath || actor.role === 'citizen') return sql`false`;
  const prefix = `${actor.scopePath}%`;
  return or(sql`${alarms.unitPath} LIKE ${prefix}`, sql`${alarms.assigneeUnitPath} LIKE ${prefix}`) as SQL;
}

/** Tell the alarm's area (and its assignee) that it changed; delivered on commit of `tx`. */
export async function publishAlarmLive(tx: Tx, row: AlarmRow, change: string): Promise<void> {
  const unitPaths = [row.unitPath, ...(row.assigneeUnitPath ? [row.assigneeUnitPath] : [])];
  await publishLive(tx, { kind: 'alarm', alarmId: row.id, no: row.no, state: row.state, severity: row.severity, change, unitPaths });
}

export type AlarmSummary = ReturnType<typeof presentSummary>;

/** How a cleared alarm was cleared: by itself (自动解除, `auto`) or by a person, with the reason. */
export type Clearance = { auto: boolean; reason: string; at: string; by: string | null };

function clearanceOf(e: typeof alarmEvents.$inferSelect | undefined): Clearance | null {
  if (!e) return null;
  return { auto: e.data.auto === true, reason: typeof e.data.reason === 'string' ? e.data.reason : '', at: e.at.toISOString(), by: e.actorName };
}

/** The clearing events of the cleared alarms among these, by alarm id (one query). */
async function clearancesOf(db: DbOrTx, rows: AlarmRow[]): Promise<Map<string, Clearance>> {
  const ids = rows.filter((a) => a.state === 'cleared').map((a) => a.id);
  if (ids.length === 0) return new Map();
  const events = await db.select().from(alarmEvents).where(and(inArray(alarmEvents.alarmId, ids), eq(alarmEvents.type, 'cleared'))).orderBy(asc(alarmEvents.id));
  const out = new Map<string, Clearance>();
  for (const e of events) {
    const c = clearanceOf(e);
    if (c) out.set(e.alarmId, c);
  }
  return out;
}

function presentSummary(a: AlarmRow, modelName: string | null, clearance: Clearance | null = null) {
  return {
    id: a.id,
    no: a.no,
    model: { id: a.modelId, name: modelName ?? '' },
    sourceKey: a.sourceKey,
    sourceType: a.sourceType,
    sourceTypeLabel: sourceTypeLabels[a.sourceType as SourceType] ?? a.sourceType,
    severity: a.severity,
    severityLabel: severityLabels[a.severity as Severity] ?? a.severity,
    state: a.state,
    stateLabel: alarmStateLabels[a.state as AlarmState] ?? a.state,
    title: a.title,
    message: typeof a.detail.message === 'string' ? a.detail.message : null,
    value: a.value,
    count: a.count,
    conditionAt: a.conditionAt.toISOString(),
    raisedAt: a.raisedAt.toISOString(),
    lastSeenAt: a.lastSeenAt.toISOString(),
    lng: a.lng,
    lat: a.lat,
    gridId: a.gridId,
    streetId: a.streetId,
    assigneeUnitId: a.assigneeUnitId,
    order: a.orderId ? { id: a.orderId, no: a.orderNo ?? '' } : null,
    clearedAt: a.clearedAt?.toISOString() ?? null,
    clearance,
    version: a.version,
  };
}

export type AlarmFilter = { state?: 'active' | AlarmState | undefined; severity?: Severity | undefined; modelId?: string | undefined; sourceType?: SourceType | undefined; street?: string | undefined; from?: Date | undefined; to?: Date | undefined };

/** Alarms the actor may see, newest first, keyset-paged by (raised_at, id). */
export async function listAlarms(args: { db: DbOrTx; actor: Actor; filter: AlarmFilter; limit: number; cursor?: string | undefined }) {
  const { db, actor, filter: f, limit } = args;
  const where: (SQL | undefined)[] = [alarmVisible(actor)];
  if (f.state === 'active') where.push(sql`${alarms.state} <> 'cleared'`);
  else if (f.state) where.push(eq(alarms.state, f.state));
  if (f.severity) where.push(eq(alarms.severity, f.severity));
  if (f.modelId) where.push(eq(alarms.modelId, f.modelId));
  if (f.sourceType) where.push(eq(alarms.sourceType, f.sourceType));
  if (f.street) where.push(eq(alarms.streetId, f.street));
  if (f.from) where.push(sql`${alarms.raisedAt} >= ${f.from.toISOString()}`);
  if (f.to) where.push(sql`${alarms.raisedAt} < ${f.to.toISOString()}`);
  if (args.cursor) {
    const [at, id] = Buffer.from(args.cursor, 'base64url').toString('utf8').split('|');
    if (!at || !id || Number.isNaN(Date.parse(at)) || !UUID_RE.test(id)) throw invalid('cursor', '分页游标无效');
    where.push(or(lt(alarms.raisedAt, new Date(at)), and(eq(alarms.raisedAt, new Date(at)), lt(alarms.id, id))));
  }
  const rows = await db
    .select({ a: alarms, modelName: alertModels.name })
    .from(alarms)
    .leftJoin(alertModels, eq(alertModels.id, alarms.modelId))
    .where(and(...where))
    .orderBy(desc(alarms.raisedAt), desc(alarms.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const clearances = await clearancesOf(db, page.map((r) => r.a));
  return {
    items: page.map((r) => presentSummary(r.a, r.modelName, clearances.get(r.a.id) ?? null)),
    nextCursor: rows.length > limit && last ? Buffer.from(`${last.a.raisedAt.toISOString()}|${last.a.id}`).toString('base64url') : null,
  };
}

/** Load one alarm the actor may see (404 otherwise), optionally locked for a change. */
export async function loadVisibleAlarm(db: DbOrTx, actor: Actor, id: string, opts: { forUpdate?: boolean } = {}): Promise<AlarmRow> {
  if (!UUID_RE.test(id)) throw new DomainError('NOT_FOUND', '告警不存在');
  const q = db.select().from(alarms).where(and(eq(alarms.id, id), alarmVisible(actor)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  if (!row) throw new DomainError('NOT_FOUND', '告警不存在');
  return row;
}

/** One alarm with its model, history and the actions the actor may take. */
export async function getAlarm(args: { db: DbOrTx; actor: Actor; alarmId: string }) {
  const { db, actor } = args;
  const a = await loadVisibleAlarm(db, actor, args.alarmId);
  const [model] = await db.select().from(alertModels).where(eq(alertModels.id, a.modelId));
  const history = await db.select().from(alarmEvents).where(eq(alarmEvents.alarmId, a.id)).orderBy(asc(alarmEvents.id));
  const unitIds = [a.assigneeUnitId, a.streetId].filter((x): x is string => !!x);
  const names = unitIds.length ? new Map((await db.select({ id: units.id, name: units.name }).from(units).where(inArray(units.id, unitIds))).map((u) => [u.id, u.name])) : new Map<string, string>();
  return {
    ...presentSummary(a, model?.name ?? null, clearanceOf([...history].reverse().find((h) => h.type === 'cleared'))),
    detail: a.detail,
    street: a.streetId ? { code: a.streetId, name: names.get(a.streetId) ?? a.streetId } : null,
    assignee: a.assigneeUnitId ? { code: a.assigneeUnitId, name: names.get(a.assigneeUnitId) ?? a.assigneeUnitId } : null,
    assigneeUserId: a.assigneeUserId,
    acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
    modelKind: model?.kind ?? null,
    autoDispatch: model?.autoDispatch ?? false,
    history: history.map((h) => ({ id: h.id, at: h.at.toISOString(), type: h.type, fromState: h.fromState, toState: h.toState, actor: { id: h.actorId, name: h.actorName }, data: h.data })),
    allowedActions: allowedAlarmActions(actor, { state: a.state as AlarmState, unitPath: a.unitPath, assigneeUnitPath: a.assigneeUnitPath, orderId: a.orderId }),
  };
}
