/** 吹哨报到 rules, with Journey 3: 望京街道 blows a 攻坚哨; enforcement in at 20 minutes, market supervision late at 45. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../errors.js';
import type { ActorRef } from '../roles.js';
import {
  blowWhistle,
  closeWhistle,
  defaultWhistlePolicy,
  lateCountsByDepartment,
  recordPart,
  reportIn,
  whistleSummary,
  type BlowWhistleInput,
  type Whistle,
} from './whistle.js';

const WANGJING = '/110000/110105/110105026/';
const JIUXIANQIAO = '/110000/110105/110105011/';
const CGZF = '/110000/110105/110105-CGZF/';
const SCJG = '/110000/110105/110105-SCJG/';
const ZJW = '/110000/110105/110105-ZJW/';
const NOW = new Date('2026-10-20T02:00:00Z'); // 10:00 Beijing
const MINUTE = 60_000;
const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);

const actor = (userId: string, role: ActorRef['role'], scopePath: string): ActorRef => ({ userId, role, unitId: userId, scopePath });
const wangjing = actor('wangjing', 'handler', WANGJING);
const wangjingLeader = actor('wj-leader', 'leader', WANGJING);
const chengguan = actor('chengguan', 'handler', CGZF);
const market = actor('market', 'handler', SCJG);

const street = { unitId: '110105026', path: WANGJING, level: 'street' } as const;
const cgzf = { unitId: '110105-CGZF', unitPath: CGZF, level: 'department' } as const;
const scjg = { unitId: '110105-SCJG', unitPath: SCJG, level: 'department' } as const;

function blow(extra: Partial<BlowWhistleInput> = {}) {
  return blowWhistle({
    id: 'w-1',
    street,
    actor: wangjing,
    kind: 'hard',
    reason: '望京西园三区餐饮一条街油烟扰民反复投诉',
    place: '望京西园三区南门',
    meetAt: at(30),
    summoned: [cgzf, scjg],
    orderIds: ['order-1', 'order-2', 'order-3'],
    reportDeadlineMinutes: 30,
    now: NOW,
    ...extra,
  });
}

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  assert.fail('expected a DomainError');
}

describe('Journey 3: the whistle', () => {
  it('blow, report in on time and late, record parts, close with the orders it resolved', () => {
    const blown = blow();
    assert.equal(blown.whistle.status, 'open');
    assert.deepEqual(blown.whistle.reportDueAt, at(30));
    assert.deepEqual(blown.notices, [
      { unitId: '110105-CGZF', template: 'whistle_summoned' },
      { unitId: '110105-SCJG', template: 'whistle_summoned' },
    ]);
    assert.equal(blown.events[0]?.type, 'whistle_blown');
    assert.equal(blown.events[0]?.data.reportDeadlineMinutes, 30);

    const enforcement = reportIn({ whistle: blown.whistle, unitId: '110105-CGZF', actor: chengguan, now: at(20), note: '执法队员2人到场' });
    assert.equal(enforcement.whistle.summoned[0]?.onTime, true);
    assert.deepEqual(enforcement.events[0]?.data, { onTime: true, minutesAfterWhistle: 20, minutesLate: 0, note: '执法队员2人到场' });

    let w: Whistle = enforcement.whistle;
    const mid = whistleSummary(w, at(25));
    assert.deepEqual(mid.onTime.map((u) => u.unitId), ['110105-CGZF']);
    assert.deepEqual(mid.waiting.map((u) => u.unitId), ['110105-SCJG']);
    assert.deepEqual(mid.missing, []);

    const missingAt40 = whistleSummary(w, at(40));
    assert.deepEqual(missingAt40.missing.map((u) => u.unitId), ['110105-SCJG'], 'not reported after the deadline');

    const late = reportIn({ whistle: w, unitId: '110105-SCJG', actor: market, now: at(45) });
    assert.equal(late.whistle.summoned[1]?.onTime, false);
    assert.equal(late.events[0]?.data.minutesLate, 15);
    w = late.whistle;

    const summary = whistleSummary(w, at(60));
    assert.deepEqual(summary.onTime.map((u) => u.unitId), ['110105-CGZF']);
    assert.deepEqual(summary.late.map((u) => [u.unitId, u.minutesLate]), [['110105-SCJG', 15]]);
    assert.deepEqual(summary.missing, []);

    w = recordPart({ whistle: w, unitId: '110105-CGZF', actor: chengguan, now: at(50), text: '责令三家店铺限期安装油烟净化设备' }).whistle;
    w = recordPart({ whistle: w, unitId: '110105-SCJG', actor: market, now: at(55), text: '核查两家店铺经营许可' }).whistle;
    w = recordPart({ whistle: w, unitId: '110105026', actor: wangjing, now: at(58), text: '街道组织商户座谈' }).whistle;
    assert.equal(w.parts.length, 3);

    const closed = closeWhistle({ whistle: w, actor: wangjingLeader, now: at(24 * 60), outcome: '三家店铺完成整改', closedOrderIds: ['order-1', 'order-2'] });
    assert.equal(closed.whistle.status, 'closed');
    assert.deepEqual(closed.whistle.closedOrderIds, ['order-1', 'order-2']);
    assert.deepEqual(closed.events[0]?.data, { outcome: '三家店铺完成整改', closedOrderIds: ['order-1', 'order-2'], late: ['110105-SCJG'], missing: [] });

    const counts = lateCountsByDepartment([closed.whistle]);
    assert.deepEqual(counts, [
      { unitId: '110105-SCJG', unitPath: SCJG, summoned: 1, onTime: 0, late: 1, missing: 0 },
      { unitId: '110105-CGZF', unitPath: CGZF, summoned: 1, onTime: 1, late: 0, missing: 0 },
    ]);
  });

  it('reporting in exactly at the deadline is on time', () => {
    const { whistle } = blow();
    assert.equal(reportIn({ whistle, unitId: '110105-CGZF', actor: chengguan, now: at(30) }).whistle.summoned[0]?.onTime, true);
    assert.equal(reportIn({ whistle, unitId: '110105-CGZF', actor: chengguan, now: new Date(at(30).getTime() + 1000) }).whistle.summoned[0]?.onTime, false);
  });
});

describe('blowing a whistle', () => {
  it('deadline defaults by kind, from policy', () => {
    assert.deepEqual(blow({ kind: 'emergency', reportDeadlineMinutes: undefined }).whistle.reportDueAt, at(30));
    assert.deepEqual(blow({ kind: 'hard', reportDeadlineMinutes: undefined }).whistle.reportDueAt, at(60));
    assert.deepEqual(blow({ kind: 'routine', reportDeadlineMinutes: undefined }).whistle.reportDueAt, at(24 * 60));
    const policy = { reportDeadlineMinutes: { ...defaultWhistlePolicy.reportDeadlineMinutes, routine: 120 } };
    assert.deepEqual(blow({ kind: 'routine', reportDeadlineMinutes: undefined, policy }).whistle.reportDueAt, at(120));
  });

  it('only from a street', () => {
    const e = refusal(() => blow({ street: { unitId: '110105', path: '/110000/110105/', level: 'district' }, actor: actor('cy', 'handler', '/110000/110105/') }));
    assert.equal(e.code, 'VALIDATION_FAILED');
    assert.deepEqual(e.fields?.map((f) => f.field), ['street']);
  });

  it('only by that street\'s handler or leader', () => {
    assert.equal(refusal(() => blow({ actor: actor('jxq', 'handler', JIUXIANQIAO) })).code, 'FORBIDDEN');
    assert.equal(refusal(() => blow({ actor: actor('disp', 'dispatcher', '/110000/') })).code, 'FORBIDDEN');
    assert.equal(refusal(() => blow({ actor: actor('grid', 'grid_worker', WANGJING) })).code, 'FORBIDDEN');
    assert.equal(blow({ actor: wangjingLeader }).whistle.blownBy, 'wj-leader');
  });

  it('summons departments and companies only, each once', () => {
    const community = { unitId: '110105026001', unitPath: `${WANGJING}110105026001/`, level: 'community' } as const;
    const e = refusal(() => blow({ summoned: [cgzf, community, cgzf] }));
    assert.deepEqual(e.fields?.map((f) => f.field), ['summoned[1].level', 'summoned[2].unitId']);
    assert.equal(blow({ summoned: [{ unitId: '110000-WATER', unitPath: '/110000/110000-WATER/', level: 'company' }] }).whistle.summoned.length, 1);
  });

  it('needs a reason, a place and someone to summon', () => {
    const e = refusal(() => blow({ reason: ' ', place: '', summoned: [] }));
    assert.deepEqual(e.fields?.map((f) => f.field), ['reason', 'place', 'summoned']);
    assert.match(e.message, /吹哨事由不能为空/);
  });

  it('refuses an absurd deadline', () => {
    assert.deepEqual(refusal(() => blow({ reportDeadlineMinutes: 0 })).fields?.map((f) => f.field), ['reportDeadlineMinutes']);
    assert.deepEqual(refusal(() => blow({ reportDeadlineMinutes: 1.5 })).fields?.map((f) => f.field), ['reportDeadlineMinutes']);
  });
});

describe('report-in, parts and closing', () => {
  it('a unit that was not summoned cannot report in', () => {
    const { whistle } = blow();
    const e = refusal(() => reportIn({ whistle, unitId: '110105-ZJW', actor: actor('zjw', 'handler', ZJW), now: at(5) }));
    assert.deepEqual(e.fields?.map((f) => f.field), ['unitId']);
  });

  it('a unit reports in for itself; the street may record it on site; nobody else', () => {
    const { whistle } = blow();
    assert.equal(refusal(() => reportIn({ whistle, unitId: '110105-CGZF', actor: market, now: at(5) })).code, 'FORBIDDEN');
    assert.equal(reportIn({ whistle, unitId: '110105-CGZF', actor: wangjing, now: at(5) }).whistle.summoned[0]?.reportedBy, 'wangjing');
  });

  it('a unit reports in once', () => {
    const once = reportIn({ whistle: blow().whistle, unitId: '110105-CGZF', actor: chengguan, now: at(5) }).whistle;
    assert.equal(refusal(() => reportIn({ whistle: once, unitId: '110105-CGZF', actor: chengguan, now: at(6) })).code, 'ILLEGAL_TRANSITION');
  });

  it('a part needs the unit to have reported in', () => {
    const e = refusal(() => recordPart({ whistle: blow().whistle, unitId: '110105-SCJG', actor: market, now: at(5), text: '到场' }));
    assert.equal(e.code, 'ILLEGAL_TRANSITION');
  });

  it('only the street closes, with an outcome and orders of this whistle', () => {
    const { whistle } = blow();
    assert.equal(refusal(() => closeWhistle({ whistle, actor: chengguan, now: at(90), outcome: '完成', closedOrderIds: [] })).code, 'FORBIDDEN');
    const e = refusal(() => closeWhistle({ whistle, actor: wangjing, now: at(90), outcome: '', closedOrderIds: ['order-9'] }));
    assert.deepEqual(e.fields?.map((f) => f.field), ['outcome', 'closedOrderIds']);
  });

  it('closing records units never reported in as missing; a closed whistle takes no more report-ins', () => {
    const closed = closeWhistle({ whistle: blow().whistle, actor: wangjing, now: at(90), outcome: '街道自行协调解决', closedOrderIds: [] });
    assert.deepEqual(closed.events[0]?.data.missing, ['110105-CGZF', '110105-SCJG']);
    const e = refusal(() => reportIn({ whistle: closed.whistle, unitId: '110105-CGZF', actor: chengguan, now: at(95) }));
    assert.equal(e.code, 'ILLEGAL_TRANSITION');
    assert.deepEqual(whistleSummary(closed.whistle, at(10_000)).missing.length, 2);
  });

  it('a whistle closed before the deadline leaves nobody missing', () => {
    const closed = closeWhistle({ whistle: blow().whistle, actor: wangjing, now: at(10), outcome: '问题已当场解决', closedOrderIds: ['order-1'] });
    assert.deepEqual(whistleSummary(closed.whistle, at(1000)).missing, []);
  });
});

describe('late counts by department', () => {
  it('add up over whistles, worst first; open whistles count missing only with a now', () => {
    const w1 = reportIn({ whistle: blow({ id: 'w1' }).whistle, unitId: '110105-SCJG', actor: market, now: at(45) }).whistle;
    const w2 = reportIn({ whistle: blow({ id: 'w2' }).whistle, unitId: '110105-CGZF', actor: chengguan, now: at(10) }).whistle;
    const withoutNow = lateCountsByDepartment([w1, w2]);
    assert.deepEqual(withoutNow.map((r) => [r.unitId, r.summoned, r.onTime, r.late, r.missing]), [
      ['110105-SCJG', 2, 0, 1, 0],
      ['110105-CGZF', 2, 1, 0, 0],
    ]);
    const withNow = lateCountsByDepartment([w1, w2], at(120));
    assert.deepEqual(withNow.map((r) => [r.unitId, r.late, r.missing]), [
      ['110105-SCJG', 1, 1],
      ['110105-CGZF', 0, 1],
    ]);
  });
});
