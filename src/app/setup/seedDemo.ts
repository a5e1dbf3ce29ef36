/**
 * Demo accounts for every role, so a fresh `npm start` can be tried at once. Never runs in production
 * (the caller checks config.demo, which is false whenever NODE_ENV=production).
 */
import { and, eq, isNull, like } from 'drizzle-orm';
import type { Role } from '../../domain/roles.js';
import type { Db } from '../../store/db.js';
import { units, users } from '../../store/schema/index.js';
import { hashPassword } from '../auth/password.js';

export const DEMO_PASSWORD = 'Jiesu@2026';

export type DemoAccount = { username: string; displayName: string; role: Role; unit: UnitRef | null; phone?: string; note: string };
type UnitRef = { id: string } | { name: string; under?: string };

export const demoAccounts: DemoAccount[] = [
  { username: 'agent', displayName: '李娜', role: 'agent', unit: { id: '110000-12345' }, note: '12345 受理员 hotline agent' },
  { username: 'dispatcher', displayName: '王强', role: 'dispatcher', unit: { id: '110000-12345' }, note: '派单员 dispatcher' },
  { username: 'supervisor', displayName: '赵敏', role: 'supervisor', unit: { id: '110000-12345' }, note: '督办员 supervisor' },
  { username: 'wangjing', displayName: '刘洋', role: 'handler', unit: { name: '望京街道', under: '110105' }, phone: '13800010001', note: '望京街道承办人 handler of 望京街道 (朝阳区)' },
  { username: 'jiuxianqiao', displayName: '陈静', role: 'handler', unit: { name: '酒仙桥街道', under: '110105' }, phone: '13800010002', note: '酒仙桥街道承办人 handler of another street' },
  { username: 'chengguan', displayName: '孙磊', role: 'handler', unit: { id: '110105-CGZF' }, note: '朝阳区城管执法局承办人 district department handler' },
  { username: 'water', displayName: '周涛', role: 'handler', unit: { id: '110000-ZLS' }, note: '自来水集团承办人 utility handler' },
  { username: 'grid', displayName: '吴刚', role: 'grid_worker', unit: { name: '望京街道', under: '110105' }, note: '望京网格员 grid worker' },
  { username: 'leader_cy', displayName: '郑华', role: 'leader', unit: { id: '110105' }, note: '朝阳区领导 district leader' },
  { username: 'leader', displayName: '钱坤', role: 'leader', unit: { id: '110000' }, note: '市领导 city leader' },
  { username: 'admin', displayName: '系统管理员', role: 'admin', unit: { id: '110000' }, note: '管理员 administrator' },
  { username: 'citizen', displayName: '张伟', role: 'citizen', unit: null, phone: '13912345678', note: '市民 citizen account' },
];

async function resolveUnit(db: Db, ref: UnitRef): Promise<string | null> {
  if ('id' in ref) {
    const [u] = await db.select({ id: units.id }).from(units).where(eq(units.id, ref.id)).limit(1);
    return u?.id ?? null;
  }
  const cond = ref.under ? and(eq(units.name, ref.name), like(units.path, `%/${ref.under}/%`)) : eq(units.name, ref.name);
  const [u] = await db.select({ id: units.id }).from(units).where(cond).limit(1);
  return u?.id ?? null;
}

/** Create the demo accounts that do not exist yet; returns the ones now present. */
export async function seedDemoAccounts(db: Db): Promise<DemoAccount[]> {
  const hash = await hashPassword(DEMO_PASSWORD);
  const present: DemoAccount[] = [];
  for (const a of demoAccounts) {
    const unitId = a.unit ? await resolveUnit(db, a.unit) : null;
    if (a.unit && !unitId) continue; // reference data without this unit (should not happen with Beijing's data)
    await db
      .insert(users)
      .values({
        username: a.username,
        displayName: a.displayName,
        kind: a.role === 'citizen' ? 'citizen' : 'staff',
        role: a.role,
        unitId,
        phone: a.phone ?? null,
        passwordHash: hash,
      })
      .onConflictDoNothing();
    present.push(a);
  }
  return present;
}

/**
 * Demo mode only: the two demo streets' points (about where their street offices are on public maps), so the leader's
 * map shows streets as points out of the box. No published dataset gives all 343 streets' coordinates; an
 * administrator enters the others on the map (管理 → 组织机构), and an entered point is never overwritten here.
 */
export const DEMO_STREET_POINTS: readonly { code: string; lat: number; lng: number }[] = [
  { code: '110105026', lat: 39.9966, lng: 116.4706 }, // 望京街道
  { code: '110105011', lat: 39.9711, lng: 116.4927 }, // 酒仙桥街道
];

export async function seedDemoStreetPoints(db: Db): Promise<void> {
  for (const p of DEMO_STREET_POINTS) {
    await db.update(units).set({ lat: p.lat, lng: p.lng }).where(and(eq(units.id, p.code), isNull(units.lat)));
  }
}
