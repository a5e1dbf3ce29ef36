/**
 * Demo orders for a fresh demo start, so every workspace has something true to its shape: requests across
 * 朝阳区 and other districts in every state, taken through the real use-cases (history, clocks, events and all).
 * Runs only when there are no orders yet.
 */
import { eq, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { queryRows, type Db } from '../../store/db.js';
import { actorOf } from '../auth/authenticate.js';
import { units, users } from '../../store/schema/index.js';
import { acceptRequest, type RequestInput } from '../requests/acceptRequest.js';
import { transitionOrder, type ActionInput } from '../orders/transitionOrder.js';
import { loadOrderRecord } from '../orders/orderRecord.js';

async function actorFor(db: Db, username: string): Promise<Actor | null> {
  const [row] = await db.select({ user: users, unit: units }).from(users).leftJoin(units, eq(units.id, users.unitId)).where(eq(users.username, username)).limit(1);
  return row ? actorOf(row.user, row.unit) : null;
}

type Demo = { input: RequestInput; steps: [string, ActionInput][]; hoursAgo: number };

const WJ = { districtCode: '110105', streetCode: '110105026' };
const demos: Demo[] = [
  { hoursAgo: 2, input: { type: 'complaint', channel: 'hotline', title: '烧烤店油烟直排扰民', body: '望京西园三区楼下烧烤店油烟直排，每天开到夜里十二点，窗户都不敢开', address: '朝阳区望京西园三区', ...WJ, contact: { name: '王晓明', phone: '13912345678' }, dispatch: { leadUnitCode: '110105026' } }, steps: [] },
  { hoursAgo: 30, input: { type: 'complaint', channel: 'hotline', title: '夜间施工噪音', body: '望京街道阜通东大街工地夜间施工，噪音很大影响休息', ...WJ, contact: { name: '李红', phone: '13800138000' }, dispatch: { leadUnitCode: '110105026' } }, steps: [['wangjing', { action: 'sign' }], ['wangjing', { action: 'respond', contactMethod: 'phone', note: '已电话联系诉求人，将协调城管执法' }]] },
  { hoursAgo: 60, input: { type: 'help', channel: 'web', title: '小区路灯不亮', body: '望京花园西区三号楼旁路灯连续一周不亮，夜间出行不便', ...WJ, contact: { name: '赵刚', phone: '13600001111' }, dispatch: { leadUnitCode: '110105026' } }, steps: [['wangjing', { action: 'sign' }], ['wangjing', { action: 'respond', contactMethod: 'phone', note: '已联系' }], ['wangjing', { action: 'reply', text: '经排查为线路老化，已更换线路和灯具，路灯恢复正常。' }]] },
  { hoursAgo: 120, input: { type: 'complaint', channel: 'hotline', title: '楼顶漏雨', body: '望京西园四区5号楼顶层房屋漏雨，墙面发霉', ...WJ, contact: { name: '孙丽', phone: '13700002222' }, dispatch: { leadUnitCode: '110105026' } }, steps: [['wangjing', { action: 'sign' }], ['wangjing', { action: 'respond', contactMethod: 'visit', note: '已上门查看' }], ['wangjing', { action: 'reply', text: '已协调物业对屋面进行防水维修，维修完成并回访确认不再漏雨。' }], ['agent', { action: 'follow_up', resolution: 'resolved', satisfaction: 'satisfied' }], ['agent', { action: 'close' }]] },
  { hoursAgo: 5, input: { type: 'help', channel: 'hotline', title: '自来水管道漏水', body: '望京西园三区门口自来水管道破裂，路面积水', ...WJ, contact: { name: '周明', phone: '13500003333' }, dispatch: { leadUnitCode: '110105026' } }, steps: [['wangjing', { action: 'sign' }], ['wangjing', { action: 'return', reason: '供水管网属自来水集团' }]] },
  { hoursAgo: 1, input: { type: 'complaint', channel: 'app', title: '共享单车乱停放', body: '酒仙桥路地铁站口共享单车乱停放堵塞盲道', districtCode: '110105', contact: { name: '吴芳', phone: '13400004444' } }, steps: [] },
  { hoursAgo: 200, input: { type: 'complaint', channel: 'hotline', title: '拖欠工资', body: '朝阳区某装修公司拖欠我们十几个工人三个月工资', districtCode: '110105', contact: { name: '郑强', phone: '13300005555' }, dispatch: { leadUnitCode: '110105-RSJ' } }, steps: [] },
  { hoursAgo: 3, input: { type: 'suggestion', channel: 'web', title: '建议增设公交站', body: '海淀区中关村大街建议增设一个公交站点方便居民出行', districtCode: '110108', contact: { name: '钱进', phone: '13200006666' }, dispatch: { leadUnitCode: '110000-JTW' } }, steps: [] },
];

export async function seedDemoOrders(db: Db, now: Date): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM orders`);
  if ((row?.n ?? 0) > 0) return 0;
  const actors = new Map<string, Actor>();
  for (const u of ['agent', 'dispatcher', 'wangjing']) {
    const a = await actorFor(db, u);
    if (a) actors.set(u, a);
  }
  const agent = actors.get('agent');
  if (!agent) return 0;
  let n = 0;
  for (const d of demos) {
    const at = new Date(now.getTime() - d.hoursAgo * 3600_000);
    const res = await acceptRequest({ db, actor: agent, input: d.input, proposal: null, now: at });
    n++;
    let t = at.getTime();
    for (const [who, input] of d.steps) {
      const actor = actors.get(who);
      const id = res.orderId;
      if (!actor || !id) break;
      const rec = await loadOrderRecord(db, id);
      if (!rec) break;
      t += 3600_000;
      await transitionOrder({ db, actor, orderId: id, version: rec.row.version, input, now: new Date(Math.min(t, now.getTime())) });
    }
  }
  return n;
}
