/** The alarm lifecycle: who may do what in which state, and jurisdiction. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import type { ActorRef } from '../roles.js';
import { allowedAlarmActions, decideAlarmAction, decideAutoClear, type AlarmSnapshot } from './lifecycle.js';

const WJ = '/110000/110105/110105026/';
const wangjing: ActorRef = { userId: 'u1', role: 'handler', unitId: '110105026', scopePath: WJ };
const jiuxianqiao: ActorRef = { userId: 'u2', role: 'handler', unitId: '110105011', scopePath: '/110000/110105/110105011/' };
const grid: ActorRef = { userId: 'u3', role: 'grid_worker', unitId: '110105026', scopePath: WJ };
const citizen: ActorRef = { userId: 'u4', role: 'citizen', unitId: null, scopePath: null };
const open: AlarmSnapshot = { state: 'open', unitPath: `${WJ}110105026001/`, assigneeUnitPath: null, orderId: null };
const code = (f: () => unknown) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return e instanceof DomainError ? e.code : 'other';
  }
};

describe('alarm lifecycle', () => {
  it('open → acknowledged → assigned → cleared; nothing after clearing', () => {
    assert.equal(decideAlarmAction({ alarm: open, action: { kind: 'acknowledge' }, actor: wangjing }).to, 'acknowledged');
    const acked = { ...open, state: 'acknowledged' as const };
    assert.equal(code(() => decideAlarmAction({ alarm: acked, action: { kind: 'acknowledge' }, actor: wangjing })), 'ILLEGAL_TRANSITION');
    assert.equal(decideAlarmAction({ alarm: acked, action: { kind: 'assign', unitId: '110105-CGZF', unitPath: '/110000/110105/110105-CGZF/' }, actor: wangjing }).to, 'assigned');
    const cleared = { ...open, state: 'cleared' as const };
    assert.equal(decideAlarmAction({ alarm: acked, action: { kind: 'clear', reason: '现场核实已处置' }, actor: wangjing }).to, 'cleared');
    assert.deepEqual(allowedAlarmActions(wangjing, cleared), []);
    assert.equal(code(() => decideAlarmAction({ alarm: acked, action: { kind: 'clear', reason: ' ' }, actor: wangjing })), 'VALIDATION_FAILED');
  });

  it('another street sees nothing; citizens may not act; grid workers comment but do not assign or order', () => {
    assert.equal(code(() => decideAlarmAction({ alarm: open, action: { kind: 'acknowledge' }, actor: jiuxianqiao })), 'NOT_FOUND');
    assert.equal(code(() => decideAlarmAction({ alarm: open, action: { kind: 'comment', text: 'x' }, actor: citizen })), 'FORBIDDEN');
    assert.deepEqual(allowedAlarmActions(grid, open), ['acknowledge', 'comment', 'clear']);
    assert.deepEqual(allowedAlarmActions(wangjing, open), ['acknowledge', 'assign', 'comment', 'clear', 'to_order']);
  });

  it('an alarm becomes one order only', () => {
    assert.equal(decideAlarmAction({ alarm: open, action: { kind: 'to_order', orderId: 'o', orderNo: 'GD1' }, actor: wangjing }).to, 'acknowledged');
    assert.equal(code(() => decideAlarmAction({ alarm: { ...open, orderId: 'o' }, action: { kind: 'to_order', orderId: 'o2', orderNo: 'GD2' }, actor: wangjing })), 'CONFLICT');
  });

  it('the unit an alarm is assigned to sees it', () => {
    const chengguan: ActorRef = { userId: 'u5', role: 'handler', unitId: '110105-CGZF', scopePath: '/110000/110105/110105-CGZF/' };
    const assigned = { ...open, state: 'assigned' as const, assigneeUnitPath: '/110000/110105/110105-CGZF/' };
    assert.equal(decideAlarmAction({ alarm: assigned, action: { kind: 'comment', text: '已派人' }, actor: chengguan }).eventType, 'commented');
    assert.equal(code(() => decideAlarmAction({ alarm: assigned, action: { kind: 'assign', unitId: 'x', unitPath: '/x/' }, actor: chengguan })), 'FORBIDDEN');
  });

  it('an automatic clear: from any state but cleared, as the system, with its reason', () => {
    for (const state of ['open', 'acknowledged', 'assigned'] as const) {
      assert.deepEqual(decideAutoClear({ alarm: { state }, reason: '水位回落至 12 cm，持续 5 分钟' }), { to: 'cleared', eventType: 'cleared', data: { auto: true, reason: '水位回落至 12 cm，持续 5 分钟' } });
    }
    assert.equal(code(() => decideAutoClear({ alarm: { state: 'cleared' }, reason: 'x' })), 'ILLEGAL_TRANSITION');
    assert.equal(code(() => decideAutoClear({ alarm: open, reason: ' ' })), 'VALIDATION_FAILED');
  });
});
