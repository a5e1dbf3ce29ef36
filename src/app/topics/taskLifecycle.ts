/**
 * The life of a 每月一题 task: open → in_progress → done, and back to in_progress when the topic's leader finds the
 * work not done (reopen). Pure: who may take a step and what it needs are decided here, the store writes the result.
 */
import { DomainError, invalid } from '../../domain/errors.js';

export const taskStates = ['open', 'in_progress', 'done'] as const;
export type TaskState = (typeof taskStates)[number];
export const taskActions = ['start', 'complete', 'reopen'] as const;
export type TaskAction = (typeof taskActions)[number];

export const taskStateLabels: Record<TaskState, string> = { open: '未开始', in_progress: '推进中', done: '已完成' };

/** Who acts on a task: the responsible unit's staff, or the topic's owners (the leader or supervisor who oversees it). */
export type TaskActorKind = 'unit' | 'owner';

export type TaskStep = { to: TaskState; event: 'task_started' | 'task_done' | 'task_reopened' };

/**
 * decideTaskStep({ state: 'open', action: 'complete', by: 'unit', note: '已完成…' }) → { to: 'done', event: 'task_done' }
 * Refusals: ILLEGAL_TRANSITION for a step the state does not allow, FORBIDDEN for reopening by the unit itself,
 * VALIDATION_FAILED for a completion or reopening without a note.
 */
export function decideTaskStep(args: { state: TaskState; action: TaskAction; by: TaskActorKind; note?: string | undefined }): TaskStep {
  const { state, action, by } = args;
  const note = args.note?.trim() ?? '';
  switch (action) {
    case 'start':
      if (state !== 'open') throw new DomainError('ILLEGAL_TRANSITION', `任务${taskStateLabels[state]}，不能开始`);
      return { to: 'in_progress', event: 'task_started' };
    case 'complete':
      if (state === 'done') throw new DomainError('ILLEGAL_TRANSITION', '任务已完成');
      if (!note) throw invalid('note', '完成任务须写明办理情况');
      return { to: 'done', event: 'task_done' };
    case 'reopen':
      if (by !== 'owner') throw new DomainError('FORBIDDEN', '只有牵头领导或督办员可以退回任务');
      if (state !== 'done') throw new DomainError('ILLEGAL_TRANSITION', `任务${taskStateLabels[state]}，无需退回`);
      if (!note) throw invalid('note', '退回任务须写明原因');
      return { to: 'in_progress', event: 'task_reopened' };
  }
}

/** A task is overdue once its due day (Beijing) has passed and it is not done. */
export function isTaskOverdue(task: { state: TaskState; dueDate: string }, today: string): boolean {
  return task.state !== 'done' && task.dueDate < today;
}
