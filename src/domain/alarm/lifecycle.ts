/**
 * The alarm lifecycle: open → acknowledged → assigned → cleared, with comments at any point before clearing and
 * a work order made from it once. Pure: the caller loads the alarm, asks `decideAlarmAction`, writes the new
 * state and the returned history event in one transaction.
 */
import type { ActorRef } from '../roles.js';
import { isWithin } from '../jurisdiction.js';
import { DomainError, forbidden, invalid } from '../errors.js';

export const alarmStates = ['open', 'acknowledged', 'assigned', 'cleared'] as const;
export type AlarmState = (typeof alarmStates)[number];
export const alarmStateLabels: Record<AlarmState, string> = { open: '待确认', acknowledged: '已确认', assigned: '已指派', cleared: '已解除' };

export type AlarmAction =
  | { kind: 'acknowledge'; note?: string | undefined }
  | { kind: 'assign'; unitId: string; unitPath: string; userId?: string | undefined; note?: string | undefined }
  | { kind: 'comment'; text: string }
  | { kind: 'clear'; reason: string }
  | { kind: 'to_order'; orderId: string; orderNo: string };

export type AlarmActionKind = AlarmAction['kind'];
export const alarmActionLabels: Record<AlarmActionKind, string> = { acknowledge: '确认', assign: '指派', comment: '批注', clear: '解除', to_order: '转工单' };

export type AlarmSnapshot = { state: AlarmState; unitPath: string; assigneeUnitPath: string | null; orderId: string | null };

/** Who may act on alarms: staff of the area (and the unit it is assigned to); citizens never. */
const actingRoles = new Set(['agent', 'dispatcher', 'supervisor', 'handler', 'grid_worker', 'leader', 'admin']);

export type AlarmDecision = {
  to: AlarmState;
  eventType: 'acknowledged' | 'assigned' | 'commented' | 'cleared' | 'ordered';
  data: Record<string, unknown>;
};

/** Whether an actor may see an alarm: it lies in their scope, or is assigned to a unit in their scope. */
export function canSeeAlarm(actor: ActorRef, alarm: Pick<AlarmSnapshot, 'unitPath' | 'assigneeUnitPath'>): boolean {
  if (!actor.scopePath || actor.role === 'citizen') return false;
  return isWithin(actor.scopePath, alarm.unitPath) || isWithin(actor.scopePath, alarm.assigneeUnitPath);
}

/** The actions the actor may take now, for the UI. */
export function allowedAlarmActions(actor: ActorRef, alarm: AlarmSnapshot): AlarmActionKind[] {
  const probes: AlarmAction[] = [
    { kind: 'acknowledge' },
    { kind: 'assign', unitId: 'x', unitPath: alarm.unitPath },
    { kind: 'comment', text: 'x' },
    { kind: 'clear', reason: 'x' },
    { kind: 'to_order', orderId: 'x', orderNo: 'x' },
  ];
  return probes.filter((a) => {
    try {
      decideAlarmAction({ alarm, action: a, actor });
      return true;
    } catch {
      return false;
    }
  }).map((a) => a.kind);
}

/**
 * Decide one step on an alarm, or throw: FORBIDDEN (role/jurisdiction), ILLEGAL_TRANSITION (state),
 * VALIDATION_FAILED (payload).
 * @example decideAlarmAction({ alarm, action: { kind: 'acknowledge' }, actor }) // → { to: 'acknowledged', … }
 */
export function decideAlarmAction(args: { alarm: AlarmSnapshot; action: AlarmAction; actor: ActorRef }): AlarmDecision {
  const { alarm, action, actor } = args;
  if (!actingRoles.has(actor.role)) throw forbidden('无权处置告警');
  if (!canSeeAlarm(actor, alarm)) throw new DomainError('NOT_FOUND', '告警不存在');
  const illegal = () => new DomainError('ILLEGAL_TRANSITION', `告警${alarmStateLabels[alarm.state]}，不能${alarmActionLabels[action.kind]}`);
  if (alarm.state === 'cleared') throw illegal();
  switch (action.kind) {
    case 'acknowledge':
      if (alarm.state !== 'open') throw illegal();
      return { to: 'acknowledged', eventType: 'acknowledged', data: action.note ? { note: action.note } : {} };
    case 'assign':
      if (actor.role === 'grid_worker') throw forbidden('网格员不能指派告警');
      if (!isWithin(actor.scopePath, alarm.unitPath)) throw forbidden('只能指派本辖区的告警');
      if (!action.unitId) throw invalid('unitCode', '必填');
      return { to: 'assigned', eventType: 'assigned', data: { unitId: action.unitId, ...(action.userId ? { userId: action.userId } : {}), ...(action.note ? { note: action.note } : {}) } };
    case 'comment':
      if (!action.text.trim()) throw invalid('text', '批注不能为空');
      return { to: alarm.state, eventType: 'commented', data: { text: action.text } };
    case 'clear':
      if (!action.reason.trim()) throw invalid('reason', '请说明解除原因');
      return { to: 'cleared', eventType: 'cleared', data: { reason: action.reason } };
    case 'to_order':
      if (alarm.orderId) throw new DomainError('CONFLICT', '该告警已转为工单');
      if (actor.role === 'grid_worker') throw forbidden('网格员不能将告警转为工单');
      // Making an order acknowledges an open alarm; the alarm stays until the order closes it or someone clears it.
      return { to: alarm.state === 'open' ? 'acknowledged' : alarm.state, eventType: 'ordered', data: { orderId: action.orderId, orderNo: action.orderNo } };
    default: {
      const never: never = action;
      throw invalid('action', `未知操作 ${JSON.stringify(never)}`);
    }
  }
}

/**
 * An automatic clear (自动解除): the model's recovery held, so the platform clears the alarm itself, from any state
 * but cleared, with no person as actor. Throws ILLEGAL_TRANSITION on a cleared alarm, VALIDATION_FAILED without
 * a reason.
 * @example decideAutoClear({ alarm, reason: '水位回落至 12 cm，持续 5 分钟' }) // → { to: 'cleared', eventType: 'cleared', data: { auto: true, reason } }
 */
export function decideAutoClear(args: { alarm: Pick<AlarmSnapshot, 'state'>; reason: string }): AlarmDecision {
  if (args.alarm.state === 'cleared') throw new DomainError('ILLEGAL_TRANSITION', '告警已解除，不能再次解除');
  if (!args.reason.trim()) throw invalid('reason', '自动解除须说明原因');
  return { to: 'cleared', eventType: 'cleared', data: { auto: true, reason: args.reason } };
}
