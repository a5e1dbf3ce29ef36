import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actionKinds, actionLabels, transitionTable } from './actions.js';
import {
  finalStates,
  holderOf,
  isFinal,
  isOpen,
  isOrderState,
  isWithUnit,
  openStates,
  orderStateLabels,
  orderStates,
  withUnitStates,
} from './states.js';

describe('order states', () => {
  it('fourteen states with the Chinese labels of the platform', () => {
    assert.equal(orderStates.length, 14);
    assert.deepEqual(Object.values(orderStateLabels), [
      '受理', '待审核', '已派单', '已签收', '已响应', '办理中', '已反馈', '已回访', '已办结', '退单待审', '挂账', '已终止', '无效', '已合并',
    ]);
  });

  it('open and final states split the set', () => {
    assert.deepEqual([...openStates, ...finalStates].sort(), [...orderStates].sort());
    assert.deepEqual(finalStates, ['closed', 'terminated', 'invalid', 'merged']);
    for (const s of orderStates) assert.equal(isOpen(s), !isFinal(s));
  });

  it('"with the unit" states are open and held by the unit', () => {
    for (const s of withUnitStates) {
      assert.ok(isOpen(s));
      assert.equal(holderOf(s), 'unit');
    }
    assert.equal(isWithUnit('returned'), false, 'a return is with the hotline for review');
    assert.equal(isWithUnit('replied'), false);
  });

  it('every final state is held by nobody, every other open one by the hotline or the unit', () => {
    for (const s of orderStates) assert.equal(holderOf(s) === 'none', isFinal(s), s);
  });

  it('narrows stored strings', () => {
    assert.equal(isOrderState('signed'), true);
    assert.equal(isOrderState('reopened'), false);
  });
});

describe('transition table as data', () => {
  it('every action has a Chinese label, at least one role and from-state', () => {
    for (const k of actionKinds) {
      assert.ok(actionLabels[k].length > 0, k);
      assert.ok(transitionTable[k].roles.length > 0, k);
      assert.ok(transitionTable[k].from.length > 0, k);
    }
  });

  it('no action leaves a final state except reopen from closed and comment', () => {
    for (const k of actionKinds) {
      const fromFinal = transitionTable[k].from.filter((s) => isFinal(s));
      if (k === 'comment') assert.deepEqual(fromFinal, [...finalStates]);
      else if (k === 'reopen') assert.deepEqual(fromFinal, ['closed']);
      else assert.deepEqual(fromFinal, [], k);
    }
  });

  it('the table renders as JSON for the API docs', () => {
    assert.doesNotThrow(() => JSON.stringify(transitionTable));
  });
});
