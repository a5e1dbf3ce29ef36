/** 传感器: registering devices (with a device key shown once), checking a device key, and listing what one may see. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden, invalid } from '../../domain/errors.js';
import type { Db, DbOrTx } from '../../store/db.js';
import { cityComponents, sensorLatest, sensors } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import { resolvePlace } from './placement.js';

export type SensorInput = { id: string; name: string; kind: string; metrics: string[]; lng?: number | undefined; lat?: number | undefined; gridCode?: string | undefined; streetCode?: string | undefined; componentCode?: string | undefined };

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** registerSensor({ db, actor: admin, input, now }) → the sensor and its device key (shown this once). */
export async function registerSensor(args: { db: Db; actor: Actor; input: SensorInput; now: Date; ip?: string | null }) {
  const { db, actor, input, now } = args;
  if (actor.role !== 'admin') throw forbidden('只有管理员可以登记传感器');
  let lng = input.lng;
  let lat = input.lat;
  let componentId: string | null = null;
  if (input.componentCode) {
    const [c] = await db.select().from(cityComponents).where(eq(cityComponents.code, input.componentCode));
    if (!c) throw invalid('componentCode', `部件 ${input.componentCode} 不存在`);
    componentId = c.id;
    lng ??= c.lng;
    lat ??= c.lat;
  }
  const place = await resolvePlace(db, { gridCode: input.gridCode, streetCode: input.streetCode, lng, lat });
  const deviceKey = randomBytes(24).toString('base64url');
  return db.transaction(async (tx) => {
    const [exists] = await tx.select({ id: sensors.id }).from(sensors).where(eq(sensors.id, input.id));
    if (exists) throw new DomainError('CONFLICT', `传感器 ${input.id} 已登记`);
    const [row] = await tx
      .insert(sensors)
      .values({ id: input.id, name: input.name, kind: input.kind, metrics: input.metrics, lng: place.lng, lat: place.lat, gridId: place.gridId, componentId, streetId: place.streetId, unitPath: place.unitPath, deviceKeyHash: hashKey(deviceKey), active: true, createdAt: now, updatedAt: now })
      .returning();
    if (!row) throw new DomainError('INTERNAL', '传感器未能保存');
    await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.displayName, action: 'sensor.register', targetType: 'sensor', targetId: row.id, detail: { name: row.name, kind: row.kind, gridId: row.gridId, streetId: row.streetId }, ip: args.ip ?? null });
    return { sensor: presentSensor(row, []), deviceKey };
  });
}

/** Whether `key` is the device key of an active sensor `id` (constant-time comparison). */
export async function checkDeviceKey(db: DbOrTx, id: string, key: string): Promise<boolean> {
  const [row] = await db.select({ hash: sensors.deviceKeyHash, active: sensors.active }).from(sensors).where(eq(sensors.id, id));
  if (!row?.hash || !row.active) return false;
  const a = Buffer.from(row.hash, 'hex');
  const b = Buffer.from(hashKey(key), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

type LatestRow = typeof sensorLatest.$inferSelect;

function presentSensor(s: typeof sensors.$inferSelect, latest: LatestRow[]) {
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    metrics: s.metrics,
    lng: s.lng,
    lat: s.lat,
    gridId: s.gridId,
    streetId: s.streetId,
    componentId: s.componentId,
    active: s.active,
    latest: latest.map((l) => ({ metric: l.metric, value: l.value, ts: l.ts.toISOString(), readings: Number(l.readings) })),
  };
}

/** Sensors in the actor's scope with their latest value per metric. */
export async function listSensors(args: { db: DbOrTx; actor: Actor; kind?: string | undefined; limit: number }) {
  const { db, actor } = args;
  if (!actor.scopePath || actor.role === 'citizen') throw forbidden();
  const rows = await db
    .select()
    .from(sensors)
    .where(and(sql`${sensors.unitPath} LIKE ${`${actor.scopePath}%`}`, args.kind ? eq(sensors.kind, args.kind) : undefined))
    .orderBy(asc(sensors.id))
    .limit(args.limit);
  const latest = rows.length ? await db.select().from(sensorLatest).where(sql`${sensorLatest.sensorId} IN (SELECT jsonb_array_elements_text(${JSON.stringify(rows.map((r) => r.id))}::jsonb))`) : [];
  return rows.map((r) => presentSensor(r, latest.filter((l) => l.sensorId === r.id)));
}

/** One sensor the actor may see (404 otherwise). */
export async function loadVisibleSensor(db: DbOrTx, actor: Actor, id: string) {
  const [row] = await db.select().from(sensors).where(eq(sensors.id, id));
  if (!row || !actor.scopePath || !row.unitPath.startsWith(actor.scopePath)) throw new DomainError('NOT_FOUND', '传感器不存在');
  return row;
}
