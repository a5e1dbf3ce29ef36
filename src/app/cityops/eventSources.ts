/**
 * Event sources besides sensors: 视频分析事件 (from a video-analysis platform, with a snapshot), 网格员巡查上报
 * (from the grid worker's phone, with photos), and rows of external data tables (e.g. catering workers' health
 * certificates). Each is stored with its place, and video events and patrol reports are judged by the alert models
 * in the same transaction; certificates are judged by the expiry sweep.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden, invalid } from '../../domain/errors.js';
import { expiryFiring, expiryRecovery } from '../../domain/alarm/index.js';
import { queryRows, type Db, type DbOrTx } from '../../store/db.js';
import { alarms, alertModels, attachments, externalRows, patrolReports, sensors, videoEvents } from '../../store/schema/index.js';
import { storeAttachment } from '../attachments/attachments.js';
import { systemActor } from '../orders/transitionOrder.js';
import { judgeEvents } from './judgeEvents.js';
import { resolvePlace } from './placement.js';
import { raiseAlarms, type AlarmRaise, type RaisedAlarm, type SourcePlace } from './raiseAlarms.js';
import { appendAudit } from '../audit/appendAudit.js';
import { specOf } from './alertModels.js';
import { autoClearAlarms, type AlarmRecovery } from './autoClearAlarms.js';

export const videoEventKinds: Record<string, string> = {
  illegal_parking: '违章停车',
  overflowing_bin: '垃圾满溢',
  street_vending: '占道经营',
  smoke_fire: '烟火',
  garbage_exposed: '暴露垃圾',
  road_ponding: '道路积水',
  crowd_gathering: '人员聚集',
};

export const patrolKinds: Record<string, string> = {
  road_damage: '道路破损',
  facility_damage: '部件损坏',
  illegal_parking: '违章停车',
  garbage: '垃圾堆放',
  street_vending: '占道经营',
  illegal_ad: '小广告',
  ponding: '积水',
  other: '其他',
};

export type VideoEventInput = { cameraId: string; kind: string; confidence?: number | undefined; at: Date; lng?: number | undefined; lat?: number | undefined; snapshotBase64?: string | undefined; data?: Record<string, unknown> | undefined };

/**
 * recordVideoEvent({ db, dataDir, input, now }): the camera is a registered sensor (kind `camera`) whose device key
 * the caller checked, or the caller is an administrator. Returns the event and any alarm it raised.
 */
export async function recordVideoEvent(args: { db: Db; dataDir: string; input: VideoEventInput; now: Date }): Promise<{ id: string; alarms: RaisedAlarm[] }> {
  const { db, input, now } = args;
  if (!videoEventKinds[input.kind]) throw invalid('kind', `未知的视频事件类型（可选：${Object.keys(videoEventKinds).join('、')}）`);
  const [camera] = await db.select().from(sensors).where(eq(sensors.id, input.cameraId));
  if (!camera) throw invalid('cameraId', `摄像头 ${input.cameraId} 未登记（作为 kind=camera 的传感器登记）`);
  const place = input.lng !== undefined && input.lat !== undefined ? await resolvePlace(db, { lng: input.lng, lat: input.lat, streetCode: camera.streetId }) : { lng: camera.lng, lat: camera.lat, gridId: camera.gridId, streetId: camera.streetId, unitPath: camera.unitPath };
  let snapshotId: string | null = null;
  if (input.snapshotBase64) {
    const data = Buffer.from(input.snapshotBase64, 'base64');
    const stored = await storeAttachment({ db, actor: systemActor, dataDir: args.dataDir, name: `${input.cameraId}-${input.kind}.jpg`, data, now });
    snapshotId = stored.id;
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(videoEvents)
      .values({ cameraId: input.cameraId, kind: input.kind, confidence: input.confidence ?? null, at: input.at, lng: place.lng, lat: place.lat, gridId: place.gridId, streetId: place.streetId, unitPath: place.unitPath, snapshotId, data: input.data ?? {}, createdAt: now })
      .returning({ id: videoEvents.id });
    if (!row) throw new DomainError('INTERNAL', '视频事件未能保存');
    if (snapshotId) await tx.update(attachments).set({ ownerType: 'video_event', ownerId: row.id }).where(eq(attachments.id, snapshotId));
    const raised = await judgeEvents(
      tx,
      [{ obs: { type: 'event', sourceKey: `video:${input.cameraId}`, sourceType: 'video', kind: input.kind, confidence: input.confidence ?? null, ts: input.at }, sourceName: `${camera.name}（${videoEventKinds[input.kind]}）`, place, detail: { videoEventId: row.id, ...(snapshotId ? { snapshotId } : {}) } }],
      now,
    );
    if (raised[0]) await tx.update(videoEvents).set({ alarmId: raised[0].id }).where(eq(videoEvents.id, row.id));
    return { id: row.id, alarms: raised };
  });
}

export type PatrolInput = { kind: string; description: string; lng?: number | undefined; lat?: number | undefined; address?: string | undefined; gridCode?: string | undefined; componentCode?: string | undefined; attachmentIds: string[] };

/** filePatrolReport: by a grid worker (or handler) within their own area; photos are their own uploads. */
export async function filePatrolReport(args: { db: Db; actor: Actor; input: PatrolInput; now: Date }): Promise<{ id: string; alarms: RaisedAlarm[] }> {
  const { db, actor, input, now } = args;
  if (actor.role !== 'grid_worker' && actor.role !== 'handler') throw forbidden('只有网格员或承办人可以上报巡查问题');
  if (!patrolKinds[input.kind]) throw invalid('kind', `未知的问题类型（可选：${Object.keys(patrolKinds).join('、')}）`);
  const place = await resolvePlace(db, { gridCode: input.gridCode, lng: input.lng, lat: input.lat, streetCode: actor.unitLevel === 'street' ? actor.unitId : null });
  if (!actor.scopePath || !place.unitPath.startsWith(actor.scopePath)) throw forbidden('只能上报本辖区内的问题');
  let componentId: string | null = null;
  if (input.componentCode) {
    const [c] = await db.execute(sql`SELECT id FROM city_components WHERE code = ${input.componentCode}`).then((r) => (r as { rows: { id: string }[] }).rows);
    if (!c) throw invalid('componentCode', `部件 ${input.componentCode} 不存在`);
    componentId = c.id;
  }
  return db.transaction(async (tx) => {
    if (input.attachmentIds.length) {
      const mine = await tx.select({ id: attachments.id, createdBy: attachments.createdBy, ownerId: attachments.ownerId }).from(attachments).where(inArray(attachments.id, input.attachmentIds));
      const bad = input.attachmentIds.filter((id) => !mine.some((a) => a.id === id && a.createdBy === actor.userId && a.ownerId === null));
      if (bad.length) throw invalid('attachmentIds', `照片不存在、不是本人上传或已被使用：${bad.join('、')}`);
    }
    const [row] = await tx
      .insert(patrolReports)
      .values({ kind: input.kind, description: input.description, lng: place.lng, lat: place.lat, address: input.address ?? null, gridId: place.gridId, componentId, streetId: place.streetId, unitPath: place.unitPath, attachmentIds: input.attachmentIds, reporterId: actor.userId, reporterName: actor.displayName, at: now })
      .returning({ id: patrolReports.id });
    if (!row) throw new DomainError('INTERNAL', '巡查上报未能保存');
    if (input.attachmentIds.length) await tx.update(attachments).set({ ownerType: 'patrol_report', ownerId: row.id }).where(inArray(attachments.id, input.attachmentIds));
    const raised = await judgeEvents(
      tx,
      [{ obs: { type: 'event', sourceKey: `patrol:${row.id}`, sourceType: 'patrol', kind: input.kind, confidence: null, ts: now }, sourceName: `${actor.displayName}巡查上报（${patrolKinds[input.kind]}）`, place, detail: { patrolReportId: row.id, description: input.description } }],
      now,
    );
    if (raised[0]) await tx.update(patrolReports).set({ alarmId: raised[0].id }).where(eq(patrolReports.id, row.id));
    return { id: row.id, alarms: raised };
  });
}

/** Patrol reports the actor may see (a grid worker: their own area), newest first. */
export async function listPatrolReports(args: { db: DbOrTx; actor: Actor; mine?: boolean | undefined; limit: number }) {
  const { db, actor } = args;
  if (!actor.scopePath || actor.role === 'citizen') throw forbidden();
  const rows = await db
    .select()
    .from(patrolReports)
    .where(and(sql`${patrolReports.unitPath} LIKE ${`${actor.scopePath}%`}`, args.mine ? eq(patrolReports.reporterId, actor.userId) : undefined))
    .orderBy(desc(patrolReports.at))
    .limit(args.limit);
  const alarmIds = rows.map((r) => r.alarmId).filter((x): x is string => !!x);
  const linked = alarmIds.length ? await db.select({ id: alarms.id, no: alarms.no, state: alarms.state, orderId: alarms.orderId, orderNo: alarms.orderNo }).from(alarms).where(inArray(alarms.id, alarmIds)) : [];
  return rows.map((r) => {
    const a = linked.find((x) => x.id === r.alarmId);
    return {
      id: r.id,
      kind: r.kind,
      kindLabel: patrolKinds[r.kind] ?? r.kind,
      description: r.description,
      lng: r.lng,
      lat: r.lat,
      address: r.address,
      gridId: r.gridId,
      streetId: r.streetId,
      photos: r.attachmentIds.map((id) => `/api/v1/patrol-reports/${r.id}/photos/${id}`),
      reporter: r.reporterName,
      at: r.at.toISOString(),
      alarm: a ? { id: a.id, no: a.no, state: a.state } : null,
      order: a?.orderId ? { id: a.orderId, no: a.orderNo ?? '' } : null,
    };
  });
}

/** A stored file of a video event or patrol report, for those who may see the event (404 otherwise). */
export async function readEventFile(args: { db: Db; actor: Actor; dataDir: string; owner: 'video_event' | 'patrol_report'; ownerId: string; attachmentId?: string }): Promise<{ mime: string; data: Buffer; name: string }> {
  const { db, actor } = args;
  const uuid = /^[0-9a-f-]{36}$/i;
  if (!uuid.test(args.ownerId) || (args.attachmentId && !uuid.test(args.attachmentId))) throw new DomainError('NOT_FOUND', '文件不存在');
  const table = args.owner === 'video_event' ? videoEvents : patrolReports;
  const [ev] = await db.select({ unitPath: table.unitPath }).from(table).where(eq(table.id, args.ownerId));
  const [alarmSeen] = ev && actor.scopePath && !ev.unitPath.startsWith(actor.scopePath) ? await db.select({ id: alarms.id }).from(alarms).where(and(sql`${alarms.detail}->>${args.owner === 'video_event' ? 'videoEventId' : 'patrolReportId'} = ${args.ownerId}`, sql`${alarms.assigneeUnitPath} LIKE ${`${actor.scopePath}%`}`)) : [];
  if (!ev || !actor.scopePath || actor.role === 'citizen' || (!ev.unitPath.startsWith(actor.scopePath) && !alarmSeen)) throw new DomainError('NOT_FOUND', '文件不存在');
  const [file] = await db
    .select()
    .from(attachments)
    .where(and(eq(attachments.ownerType, args.owner), eq(attachments.ownerId, args.ownerId), args.attachmentId ? eq(attachments.id, args.attachmentId) : undefined))
    .limit(1);
  if (!file) throw new DomainError('NOT_FOUND', '文件不存在');
  return { mime: file.mime, name: file.name, data: await readFile(path.join(args.dataDir, file.storedPath)) };
}

export type ExternalRowInput = { key: string; subject: string; holder?: string | undefined; expiresAt?: Date | undefined; lng?: number | undefined; lat?: number | undefined; streetCode?: string | undefined; gridCode?: string | undefined; data?: Record<string, unknown> | undefined };

/** Upsert rows of an external table (admin), all or nothing; returns how many were created and updated. */
export async function upsertExternalRows(args: { db: Db; actor: Actor; table: string; rows: ExternalRowInput[]; now: Date; ip?: string | null }) {
  const { db, actor, now } = args;
  if (actor.role !== 'admin') throw forbidden('只有管理员可以导入外部数据');
  const places: SourcePlace[] = [];
  for (const [i, r] of args.rows.entries()) {
    try {
      places.push(await resolvePlace(db, { gridCode: r.gridCode, streetCode: r.streetCode, lng: r.lng, lat: r.lat }));
    } catch (err) {
      if (err instanceof DomainError) throw new DomainError('VALIDATION_FAILED', `rows[${i}]：${err.message}`, (err.fields ?? []).map((f) => ({ ...f, field: `rows[${i}].${f.field}` })));
      throw err;
    }
  }
  return db.transaction(async (tx) => {
    const values = args.rows.map((r, i) => {
      const p = places[i] as SourcePlace;
      return { tableName: args.table, key: r.key, subject: r.subject, holder: r.holder ?? null, expiresAt: r.expiresAt ?? null, lng: p.lng, lat: p.lat, streetId: p.streetId, unitPath: p.unitPath, data: r.data ?? {}, createdAt: now, updatedAt: now };
    });
    const out = await tx
      .insert(externalRows)
      .values(values)
      .onConflictDoUpdate({ target: [externalRows.tableName, externalRows.key], set: { subject: sql`excluded.subject`, holder: sql`excluded.holder`, expiresAt: sql`excluded.expires_at`, lng: sql`excluded.lng`, lat: sql`excluded.lat`, streetId: sql`excluded.street_id`, unitPath: sql`excluded.unit_path`, data: sql`excluded.data`, updatedAt: sql`excluded.updated_at` } })
      .returning({ created: sql<boolean>`(xmax = 0)` });
    await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.displayName, action: 'external_rows.upsert', targetType: 'external_table', targetId: args.table, detail: { rows: out.length }, ip: args.ip ?? null });
    const created = out.filter((o) => o.created === true || String(o.created) === 'true').length;
    return { table: args.table, created, updated: out.length - created };
  });
}

/**
 * 到期提醒 sweep: for each active expiry model, the rows of its table that have expired or expire within its days
 * raise (or repeat) an alarm per row; a row renewed beyond the window stops firing, and when the model has a
 * recovery its open alarm clears (so does one whose row was removed). Run by the scheduler.
 */
export async function sweepExpiry(args: { db: Db; now: Date; batch?: number }): Promise<{ models: number; alarms: number; cleared: number }> {
  const { db, now } = args;
  const models = (await db.select().from(alertModels).where(and(eq(alertModels.active, true), eq(alertModels.kind, 'expiry')))).map(specOf);
  let raised = 0;
  let cleared = 0;
  for (const m of models) {
    if (m.params.kind !== 'expiry') continue;
    const table = (m.scope).table ?? '';
    const horizon = new Date(now.getTime() + m.params.withinDays * 24 * 3600_000);
    const due = await db
      .select()
      .from(externalRows)
      .where(and(eq(externalRows.tableName, table), sql`${externalRows.expiresAt} <= ${horizon.toISOString()}`))
      .limit(args.batch ?? 5000);
    const raises: AlarmRaise[] = [];
    for (const row of due) {
      const f = expiryFiring(m.params, row, now);
      if (f) raises.push({ model: m, sourceKey: `external:${table}:${row.key}`, sourceType: 'external', sourceName: `${row.holder ? `${row.holder} ` : ''}${row.subject}`, place: { lng: row.lng, lat: row.lat, gridId: null, streetId: row.streetId, unitPath: row.unitPath }, firings: [f] });
    }
    // An expiring row repeats at most once a day: skip rows whose open alarm was seen within the last 24 hours.
    const open = raises.length
      ? await db
          .select({ sourceKey: alarms.sourceKey, lastSeenAt: alarms.lastSeenAt })
          .from(alarms)
          .where(and(eq(alarms.modelId, m.id), sql`${alarms.state} <> 'cleared'`, inArray(alarms.sourceKey, raises.map((r) => r.sourceKey))))
      : [];
    const fresh = raises.filter((r) => {
      const o = open.find((x) => x.sourceKey === r.sourceKey);
      return !o || now.getTime() - o.lastSeenAt.getTime() >= 24 * 3600_000;
    });
    if (fresh.length) raised += (await db.transaction((tx) => raiseAlarms(tx, fresh, now))).length;
    if (m.recovery) cleared += (await clearRenewed(db, m.id, table, m.params, now, args.batch ?? 5000)).length;
  }
  return { models: models.length, alarms: raised, cleared };
}

/** The open alarms of an expiry model whose row was renewed past the window, lost its expiry or was removed: cleared. */
async function clearRenewed(db: Db, modelId: string, table: string, p: { withinDays: number }, now: Date, batch: number) {
  const prefix = `external:${table}:`;
  const horizon = new Date(now.getTime() + p.withinDays * 24 * 3600_000);
  return db.transaction(async (tx) => {
    // Locked with SKIP LOCKED: two servers sweeping at once share the rows instead of clearing twice.
    const open = await queryRows<{ source_key: string; expires_at: string | Date | null; subject: string | null; holder: string | null }>(
      tx,
      sql`SELECT a.source_key, r.expires_at, r.subject, r.holder
          FROM alarms a LEFT JOIN external_rows r ON r.table_name = ${table} AND r.key = substr(a.source_key, ${prefix.length + 1})
          WHERE a.model_id = ${modelId} AND a.state <> 'cleared' AND left(a.source_key, ${prefix.length}) = ${prefix}
            AND (r.id IS NULL OR r.expires_at IS NULL OR r.expires_at > ${horizon.toISOString()}::timestamptz)
          ORDER BY a.id LIMIT ${batch} FOR UPDATE OF a SKIP LOCKED`,
    );
    const recoveries: AlarmRecovery[] = [];
    for (const a of open) {
      // subject is never null in a stored row: null here means the row is gone.
      const row = a.subject !== null ? { expiresAt: a.expires_at === null ? null : new Date(a.expires_at), subject: a.subject, holder: a.holder } : null;
      const r = expiryRecovery(p, row, now);
      if (r) recoveries.push({ modelId, sourceKey: a.source_key, recovery: r });
    }
    return autoClearAlarms(tx, recoveries, now);
  });
}
