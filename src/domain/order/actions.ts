/**
 * What can be done to a work order: the actions with their payloads, and the transition table as data
 * (from which states, by which roles, in whose scope, needing which fields). `decideTransition` in
 * `./lifecycle.ts` enforces this table; the UI and the API docs can render it.
 */
import type { Role } from '../roles.js';
import { openStates, withUnitStates, orderStates, type OrderState } from './states.js';

/** A unit an order is assigned to: its id and materialised path. */
export type UnitAssignment = { id: string; path: string };

export const contactMethods = ['phone', 'sms', 'visit', 'other'] as const;
export type ContactMethod = (typeof contactMethods)[number];

/** 回访 answers: was it resolved (解决/部分解决/未解决)? */
export const resolutions = ['resolved', 'partly', 'unresolved'] as const;
export type Resolution = (typeof resolutions)[number];

/** 回访 answers: satisfied (满意/基本满意/不满意/未评价)? */
export const satisfactions = ['satisfied', 'basic', 'unsatisfied', 'no_answer'] as const;
export type Satisfaction = (typeof satisfactions)[number];

/** 核查 on site (GB/T 30428: 处置 → 核查 → 结案): did the fix hold when a grid worker went to look? */
export const onSiteResults = ['passed', 'failed'] as const;
export type OnSiteResult = (typeof onSiteResults)[number];

export const onSiteResultLabels: Record<OnSiteResult, string> = { passed: '核查通过', failed: '核查未通过' };

export const resolutionLabels: Record<Resolution, string> = { resolved: '解决', partly: '部分解决', unresolved: '未解决' };
export const satisfactionLabels: Record<Satisfaction, string> = {
  satisfied: '满意',
  basic: '基本满意',
  unsatisfied: '不满意',
  no_answer: '未评价',
};

/** Every action on an order, with its payload. `kind` is also the history event's type. */
export type OrderAction =
  | { kind: 'dispatch'; leadUnitId: string; leadUnitPath: string; coUnits: readonly UnitAssignment[]; note?: string }
  | { kind: 'send_to_review'; reason: string }
  | { kind: 'sign' }
  | { kind: 'respond'; contactMethod: ContactMethod; note: string }
  | { kind: 'start_handling' }
  | { kind: 'reply'; text: string; attachments?: readonly string[]; resolvedClaim?: boolean }
  | { kind: 'follow_up'; resolution: Resolution; satisfaction: Satisfaction; note?: string }
  | { kind: 'close'; note?: string }
  | { kind: 'close_direct'; answer: string }
  | { kind: 'reopen'; reason: string }
  | { kind: 'return'; reason: string; evidence?: readonly string[] }
  | { kind: 'approve_return'; leadUnitId: string; leadUnitPath: string; coUnits: readonly UnitAssignment[]; note?: string }
  | { kind: 'reject_return'; reason: string }
  | { kind: 'request_extension'; days: number; reason: string }
  | { kind: 'approve_extension'; days?: number }
  | { kind: 'refuse_extension'; reason: string }
  | { kind: 'urge'; note: string }
  | { kind: 'supervise'; note: string }
  | { kind: 'escalate'; toUnitId: string; toUnitPath: string; note: string }
  | { kind: 'park'; planDate: Date; reason: string }
  | { kind: 'unpark'; note?: string }
  | { kind: 'merge'; intoOrderId: string }
  | { kind: 'terminate'; reason: string }
  | { kind: 'mark_invalid'; reason: string }
  | { kind: 'verify_on_site'; result: OnSiteResult; note?: string; photos?: readonly string[] }
  | { kind: 'comment'; text: string };

export type ActionKind = OrderAction['kind'];

/** The action of a given kind: `ActionOf<'return'>` is `{ kind: 'return'; reason; evidence? }`. */
export type ActionOf<K extends ActionKind> = Extract<OrderAction, { kind: K }>;

/** Chinese label of each action, for buttons, history and error messages. */
export const actionLabels: Record<ActionKind, string> = {
  dispatch: '派单',
  send_to_review: '转人工审核',
  sign: '签收',
  respond: '响应',
  start_handling: '开始办理',
  reply: '反馈',
  follow_up: '回访',
  close: '办结',
  close_direct: '直接办结',
  reopen: '重办',
  return: '退单',
  approve_return: '同意退单',
  reject_return: '驳回退单',
  request_extension: '申请延期',
  approve_extension: '同意延期',
  refuse_extension: '驳回延期',
  urge: '催办',
  supervise: '督办',
  escalate: '升级督办',
  park: '挂账',
  unpark: '解除挂账',
  merge: '合并',
  terminate: '终止',
  mark_invalid: '标记无效',
  verify_on_site: '现场核查',
  comment: '备注',
};

/** Whose scope the actor must cover for an action. */
export type ActionScope =
  /** The order's lead unit (or, before dispatch, the city that accepted it): hotline and supervision work. */
  | 'order'
  /** The lead unit only: the handling unit's own steps; a co-unit may not do them. */
  | 'lead_unit'
  /** The lead unit, or a co-unit signing its own part. */
  | 'lead_or_co_unit'
  /** Anyone who can see the order (`canSeeOrder`). */
  | 'visible';

/** One row of the transition table. */
export type TransitionRule = {
  /** States the action may start from. */
  from: readonly OrderState[];
  /** Target: a state; `same` for no state change; `previous` for back to the state before a return or park. */
  to: OrderState | 'same' | 'previous';
  roles: readonly Role[];
  scope: ActionScope;
  /** Payload fields that must be present and valid. */
  needs: readonly string[];
  /** Extra states in which a co-unit handler may do this for its own part (state unchanged). */
  coUnitFrom?: readonly OrderState[];
  note?: string;
};

const handling: readonly OrderState[] = ['signed', 'responded', 'in_progress'];
const beforeHandling: readonly OrderState[] = ['accepted', 'pending_review', 'dispatched'];

/** The lifecycle as data: action → from states, roles, scope, needed fields. */
export const transitionTable: Record<ActionKind, TransitionRule> = {
  dispatch: {
    from: ['accepted', 'pending_review'],
    to: 'dispatched',
    roles: ['agent', 'dispatcher'],
    scope: 'order',
    needs: ['leadUnitId', 'leadUnitPath'],
    note: '派单给主办单位和协办单位；新单位须在派单人管辖范围内',
  },
  send_to_review: {
    from: ['accepted'],
    to: 'pending_review',
    roles: ['agent', 'dispatcher'],
    scope: 'order',
    needs: ['reason'],
    note: '智能分类置信度低时转人工审核',
  },
  sign: {
    from: ['dispatched'],
    to: 'signed',
    roles: ['handler'],
    scope: 'lead_or_co_unit',
    needs: [],
    coUnitFrom: ['dispatched', 'signed', 'responded', 'in_progress'],
    note: '协办单位签收本单位部分，工单状态不变',
  },
  respond: {
    from: ['signed'],
    to: 'responded',
    roles: ['handler'],
    scope: 'lead_unit',
    needs: ['contactMethod', 'note'],
  },
  start_handling: { from: ['responded'], to: 'in_progress', roles: ['handler'], scope: 'lead_unit', needs: [] },
  reply: {
    from: ['responded', 'in_progress'],
    to: 'replied',
    roles: ['handler'],
    scope: 'lead_unit',
    needs: ['text'],
    note: '答复至少10个字；可从「已响应」直接反馈',
  },
  follow_up: {
    from: ['replied'],
    to: 'followed_up',
    // The hotline calls back, or the citizen rates the result in the portal or a survey link.
    roles: ['agent', 'citizen'],
    scope: 'order',
    needs: ['resolution', 'satisfaction'],
    note: '未解决且不满意时按策略建议重办',
  },
  close: { from: ['followed_up'], to: 'closed', roles: ['agent', 'dispatcher'], scope: 'order', needs: [] },
  close_direct: {
    from: ['accepted'],
    to: 'closed',
    roles: ['agent'],
    scope: 'order',
    needs: ['answer'],
    note: '咨询类当场答复办结',
  },
  reopen: {
    from: ['followed_up', 'closed'],
    to: 'dispatched',
    roles: ['agent', 'dispatcher', 'supervisor'],
    scope: 'order',
    needs: ['reason'],
    note: '重派给原主办单位，重办次数加一，重新计时',
  },
  return: {
    from: ['dispatched', 'signed'],
    to: 'returned',
    roles: ['handler'],
    scope: 'lead_unit',
    needs: ['reason'],
  },
  approve_return: {
    from: ['returned'],
    to: 'dispatched',
    roles: ['dispatcher'],
    scope: 'order',
    needs: ['leadUnitId', 'leadUnitPath'],
    note: '改派给新单位；退单单位不计考核',
  },
  reject_return: {
    from: ['returned'],
    to: 'previous',
    roles: ['dispatcher'],
    scope: 'order',
    needs: ['reason'],
    note: '回到退单前的状态',
  },
  request_extension: {
    from: handling,
    to: 'same',
    roles: ['handler'],
    scope: 'lead_unit',
    needs: ['days', 'reason'],
    note: '须在答复时限前申请，且没有待审批的申请；答复计时暂停',
  },
  approve_extension: {
    from: handling,
    to: 'same',
    roles: ['dispatcher', 'supervisor'],
    scope: 'order',
    needs: [],
    note: '恢复计时并顺延',
  },
  refuse_extension: {
    from: handling,
    to: 'same',
    roles: ['dispatcher', 'supervisor'],
    scope: 'order',
    needs: ['reason'],
    note: '恢复计时，不顺延',
  },
  urge: { from: withUnitStates, to: 'same', roles: ['supervisor', 'dispatcher'], scope: 'order', needs: ['note'] },
  supervise: { from: withUnitStates, to: 'same', roles: ['supervisor'], scope: 'order', needs: ['note'] },
  escalate: {
    from: withUnitStates,
    to: 'same',
    roles: ['supervisor'],
    scope: 'order',
    needs: ['toUnitId', 'toUnitPath', 'note'],
    note: '通知承办单位的上级单位',
  },
  park: {
    from: handling,
    to: 'parked',
    roles: ['supervisor', 'dispatcher'],
    scope: 'order',
    needs: ['planDate', 'reason'],
    note: '计时暂停，保留计划解决日期',
  },
  unpark: {
    from: ['parked'],
    to: 'previous',
    roles: ['supervisor', 'dispatcher', 'handler'],
    scope: 'order',
    needs: [],
    note: '回到挂账前的状态（通常为「办理中」），恢复计时',
  },
  merge: {
    from: beforeHandling,
    to: 'merged',
    roles: ['dispatcher'],
    scope: 'order',
    needs: ['intoOrderId'],
    note: '重复诉求并入另一工单，诉求人随之转入',
  },
  terminate: { from: openStates, to: 'terminated', roles: ['dispatcher', 'supervisor'], scope: 'order', needs: ['reason'] },
  mark_invalid: {
    from: beforeHandling,
    to: 'invalid',
    roles: ['dispatcher'],
    scope: 'order',
    needs: ['reason'],
    note: '不计入考核',
  },
  verify_on_site: {
    from: ['replied', 'followed_up'],
    to: 'same',
    roles: ['grid_worker'],
    scope: 'visible',
    needs: ['result'],
    note: '网格员到现场核查处置结果（核查），可附现场照片；未通过须说明原因，并通知承办单位和热线（可据此重办）',
  },
  comment: {
    from: orderStates,
    to: 'same',
    roles: ['citizen', 'agent', 'dispatcher', 'handler', 'grid_worker', 'supervisor', 'leader', 'admin'],
    scope: 'visible',
    needs: ['text'],
  },
};

/** Every action kind, in table order. */
export const actionKinds = Object.keys(transitionTable) as ActionKind[];
