import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../../domain/errors.js';
import { decideTaskStep, isTaskOverdue } from './taskLifecycle.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof DomainError ? err.code : 'OTHER';
  }
  return 'OK';
};

describe('每月一题 task lifecycle', () => {
  it('goes open → in progress → done, and back when the owner reopens it', () => {
    assert.deepEqual(decideTaskStep({ state: 'open', action: 'start', by: 'unit' }), { to: 'in_progress', event: 'task_started' });
    assert.deepEqual(decideTaskStep({ state: 'in_progress', action: 'complete', by: 'unit', note: '已完成整改' }), { to: 'done', event: 'task_done' });
    assert.deepEqual(decideTaskStep({ state: 'open', action: 'complete', by: 'unit', note: '一步完成' }), { to: 'done', event: 'task_done' });
    assert.deepEqual(decideTaskStep({ state: 'done', action: 'reopen', by: 'owner', note: '现场仍有问题' }), { to: 'in_progress', event: 'task_reopened' });
  });

  it('refuses illegal steps, completion without a note, and a unit reopening its own task', () => {
    assert.equal(code(() => decideTaskStep({ state: 'in_progress', action: 'start', by: 'unit' })), 'ILLEGAL_TRANSITION');
    assert.equal(code(() => decideTaskStep({ state: 'done', action: 'complete', by: 'unit', note: 'x' })), 'ILLEGAL_TRANSITION');
    assert.equal(code(() => decideTaskStep({ state: 'in_progress', action: 'complete', by: 'unit', note: '  ' })), 'VALIDATION_FAILED');
    assert.equal(code(() => decideTaskStep({ state: 'done', action: 'reopen', by: 'unit', note: 'x' })), 'FORBIDDEN');
    assert.equal(code(() => decideTaskStep({ state: 'open', action: 'reopen', by: 'owner', note: 'x' })), 'ILLEGAL_TRANSITION');
  });

  it('counts a task overdue after its due day, unless done', () => {
    assert.equal(isTaskOverdue({ state: 'open', dueDate: '2026-11-24' }, '2026-11-25'), true);
    assert.equal(isTaskOverdue({ state: 'open', dueDate: '2026-11-25' }, '2026-11-25'), false);
    assert.equal(isTaskOverdue({ state: 'done', dueDate: '2026-11-01' }, '2026-11-25'), false);
  });
});
