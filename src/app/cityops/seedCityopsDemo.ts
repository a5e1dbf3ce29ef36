/**
 * Demo data for 一网统管 (demo mode only): six grid cells in 望京街道 (110105026) and four in 酒仙桥街道 (110105011),
 * city components, sensors, a camera, alert models (the water-level and certificate ones clear by themselves) and a
 * few health certificates. The shapes are SYNTHETIC —
 * rectangles laid over the street's rough position, labelled `demo` — not surveyed boundaries. Idempotent: it
 * does nothing once the demo grids exist. Goes through the same importers as an administrator's files.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../store/db.js';
import { alertModels, externalRows, gridCells, sensors } from '../../store/schema/index.js';
import { importComponents } from './importComponents.js';
import { importGrids } from './importGrids.js';

type Street = { code: string; communities: string[]; lng0: number; lat0: number; cols: number; rows: number };

const STREETS: Street[] = [
  { code: '110105026', communities: ['110105026034', '110105026035', '110105026036', '110105026038', '110105026039', '110105026040'], lng0: 116.455, lat0: 39.985, cols: 3, rows: 2 },
  { code: '110105011', communities: [], lng0: 116.49, lat0: 39.965, cols: 2, rows: 2 },
];
const DX = 0.012;
const DY = 0.009;

/** The demo grid cells as a GeoJSON FeatureCollection (also a sample file for the importer). */
export function demoGridGeoJson(communitiesByStreet: Map<string, string[]>): string {
  const features = [];
  for (const s of STREETS) {
    const comms = s.communities.length ? s.communities : (communitiesByStreet.get(s.code) ?? []);
    let n = 0;
    for (let r = 0; r < s.rows; r++)
      for (let c = 0; c < s.cols; c++) {
        const community = comms[n % Math.max(comms.length, 1)];
        if (!community) continue;
        n++;
        const x = s.lng0 + c * DX;
        const y = s.lat0 + r * DY;
        const ring = [[x, y], [x + DX, y], [x + DX, y + DY], [x, y + DY], [x, y]].map(([a, b]) => [Number((a as number).toFixed(6)), Number((b as number).toFixed(6))]);
        features.push({ type: 'Feature', properties: { code: `${community}-G${String(n).padStart(2, '0')}`, name: `演示网格${s.code === '110105026' ? '望京' : '酒仙桥'}${n}号`, communityCode: community }, geometry: { type: 'Polygon', coordinates: [ring] } });
      }
  }
  return JSON.stringify({ type: 'FeatureCollection', features });
}

const CLASSES = ['0101', '0102', '0103', '0111', '0114', '0118', '0304', '0206'];

/** Seed the demo set once; returns whether it wrote anything. */
export async function seedCityopsDemo(args: { db: Db; now: Date }): Promise<boolean> {
  const { db, now } = args;
  const [any] = await db.select({ id: gridCells.id }).from(gridCells).where(eq(gridCells.demo, true)).limit(1);
  if (any) return false;
  const comms = await db.execute(eqStreetCommunities());
  const byStreet = new Map<string, string[]>();
  for (const row of (comms as { rows: { id: string; parent_id: string }[] }).rows) {
    const list = byStreet.get(row.parent_id) ?? [];
    list.push(row.id);
    byStreet.set(row.parent_id, list);
  }
  await importGrids({ db, actor: null, text: demoGridGeoJson(byStreet), now, demo: true });
  // Components: a deterministic scatter inside each street's cells.
  const lines = ['code,class_code,name,lng,lat,state,owner_unit'];
  let k = 0;
  for (const s of STREETS) {
    for (let i = 0; i < (s.code === '110105026' ? 40 : 16); i++) {
      const cls = CLASSES[i % CLASSES.length] as string;
      const fx = ((i * 37) % 97) / 97;
      const fy = ((i * 61) % 89) / 89;
      const lng = s.lng0 + 0.0005 + fx * (s.cols * DX - 0.001);
      const lat = s.lat0 + 0.0005 + fy * (s.rows * DY - 0.001);
      k++;
      lines.push(`DEMO-${s.code}-${String(k).padStart(4, '0')},${cls},,${lng.toFixed(6)},${lat.toFixed(6)},${i % 13 === 5 ? 'damaged' : 'normal'},${cls.startsWith('03') ? '110105-CGZF' : ''}`);
    }
  }
  await importComponents({ db, actor: null, text: lines.join('\n'), now, demo: true });
  const cellOf = async (streetId: string) => (await db.select().from(gridCells).where(eq(gridCells.streetId, streetId)).limit(1))[0];
  const wj = await cellOf('110105026');
  const jxq = await cellOf('110105011');
  if (wj) {
    const at = (id: string, name: string, kind: string, metrics: string[], dx: number) => ({ id, name, kind, metrics, lng: wj.centerLng + dx, lat: wj.centerLat, gridId: wj.id, componentId: null, streetId: wj.streetId, unitPath: wj.unitPath, deviceKeyHash: null, active: true, createdAt: now, updatedAt: now });
    await db
      .insert(sensors)
      .values([at('DEMO-WL-001', '演示：望京西园雨水井水位计', 'water_level', ['level'], -0.002), at('DEMO-MH-001', '演示：上水井盖倾角传感器', 'manhole_tilt', ['tilt'], 0.001), at('DEMO-CAM-001', '演示：阜通东大街路口摄像头', 'camera', [], 0.003)])
      .onConflictDoNothing();
  }
  if (jxq) {
    await db
      .insert(sensors)
      .values({ id: 'DEMO-NS-001', name: '演示：酒仙桥噪声监测点', kind: 'noise', metrics: ['db'], lng: jxq.centerLng, lat: jxq.centerLat, gridId: jxq.id, componentId: null, streetId: jxq.streetId, unitPath: jxq.unitPath, deviceKeyHash: null, active: true, createdAt: now, updatedAt: now })
      .onConflictDoNothing();
  }
  const model = (m: Omit<typeof alertModels.$inferInsert, 'createdAt' | 'updatedAt'>) => ({ ...m, createdAt: now, updatedAt: now });
  await db.insert(alertModels).values([
    model({ name: '雨水井水位超限', description: '演示：水位高于 1.5 米告警；回落到 1.2 米以下持续 5 分钟自动解除', kind: 'threshold', sourceType: 'sensor', scope: { metric: 'level', sensorKind: 'water_level' }, params: { op: 'gt', value: 1.5 }, recovery: { minutes: 5, value: 1.2 }, severity: 'major', autoDispatch: false }),
    model({ name: '井盖持续倾斜', description: '演示：倾角大于 15 度持续 5 分钟', kind: 'duration', sourceType: 'sensor', scope: { metric: 'tilt' }, params: { op: 'gt', value: 15, minutes: 5 }, severity: 'critical', autoDispatch: true }),
    model({ name: '夜间噪声反复超标', description: '演示：30 分钟内 3 次高于 70 分贝', kind: 'repeat', sourceType: 'sensor', scope: { metric: 'db' }, params: { op: 'gt', value: 70, times: 3, minutes: 30 }, severity: 'minor', autoDispatch: false }),
    model({ name: '违章停车（视频）', description: '演示：置信度 0.8 以上', kind: 'event', sourceType: 'video', scope: { eventKind: 'illegal_parking' }, params: { minConfidence: 0.8 }, severity: 'warning', autoDispatch: false }),
    model({ name: '烟火（视频）', description: '演示：发现即告警并自动立案', kind: 'event', sourceType: 'video', scope: { eventKind: 'smoke_fire' }, params: {}, severity: 'critical', autoDispatch: true }),
    model({ name: '网格员上报部件损坏', description: '演示：巡查发现的部件损坏', kind: 'event', sourceType: 'patrol', scope: { eventKind: 'facility_damage' }, params: {}, severity: 'minor', autoDispatch: false }),
    model({ name: '餐饮从业人员健康证到期', description: '演示：30 天内到期；续期后自动解除', kind: 'expiry', sourceType: 'external', scope: { table: 'health_certificates' }, params: { withinDays: 30 }, recovery: { minutes: 0 }, severity: 'warning', autoDispatch: false }),
  ]);
  if (wj) {
    const day = 24 * 3600_000;
    const cert = (key: string, subject: string, holder: string, days: number) => ({ tableName: 'health_certificates', key, subject, holder, expiresAt: new Date(now.getTime() + days * day), lng: wj.centerLng, lat: wj.centerLat, streetId: wj.streetId, unitPath: wj.unitPath, data: { demo: true }, createdAt: now, updatedAt: now });
    await db.insert(externalRows).values([cert('DEMO-HC-001', '张*明', '演示·望京小馆', 12), cert('DEMO-HC-002', '李*华', '演示·望京小馆', 200), cert('DEMO-HC-003', '王*', '演示·西园烧烤', -3)]).onConflictDoNothing();
  }
  return true;
}

function eqStreetCommunities() {
  return sql`SELECT id, parent_id FROM units WHERE level = 'community' AND parent_id IN ('110105011') ORDER BY id`;
}
