/**
 * The work-order lifecycle as one pure decision: given an order snapshot, an action, the actor and `now`,
 * either refuse with a DomainError or say what happens — the new state, the history event, the fields to
 * write and the effects (clocks, notifications, assessment) for the use-case to carry out.
 * No I/O and no clock here: the store writes, the deadline engine times, the notifier sends.
 */
import { DomainError, type FieldProblem } from '../errors.js';
import { canSeeOrder, isUnitPath, isWithin, orderUnitPaths } from '../jurisdiction.js';
import { roleLabels, type ActorRef } from '../roles.js';
import {
  actionKinds,
  actionLabels,
  contactMethods,
  onSiteResults,
  resolutions,
  satisfactions,
  transitionTable,
  type ActionKind,
  type ActionOf,
  type OrderAction,
  type UnitAssignment,
} from './actions.js';
import { isWithUnit, orderStateLabels, type OrderState } from './states.js';

/** The deadline clocks of an order (the deadline engine owns their timing). */
export type Clock = 'sign' | 'response' | 'reply';

export const allClocks: readonly Clock[] = ['sign', 'response', 'reply'];

/** An extension request (延期) and what became of it. */
export type Extension = {
  state: 'pending' | 'approved' | 'refused';
  requestedAt: Date;
  /** Days asked for. */
  days: number;
  reason: string;
  decidedAt?: Date | null;
  /** Days granted, when approved (may differ from the days asked for). */
  approvedDays?: number | null;
};

/** What the rules need to know about an order; the store builds it from the order row. */
export type OrderSnapshot = {
  id: string;
  state: OrderState;
  version: number;
  leadUnitId?: string | null;
  leadUnitPath: string | null;
  coUnitPaths: readonly string[];
  /** Co-units that have signed their part. */
  signedCoUnitPaths?: readonly string[];
  extension: Extension | null;
  reopenCount: number;
  parkedUntil?: Date | null;
  /** The current reply deadline (from the deadline engine); extensions must be asked before it. */
  replyDueAt?: Date | null;
  /** Where a reject_return goes back to. */
  stateBeforeReturn?: OrderState | null;
  /** Where an unpark goes back to. */
  stateBeforePark?: OrderState | null;
  mergedIntoId?: string | null;
  /** For `comment` by citizens (see `canSeeOrder`). */
  requesterUserIds?: readonly string[];
  /** Units summoned by a whistle over this order: they may see and comment. */
  whistleUnitPaths?: readonly string[];
  /** Path of the city whose hotline accepted the order: the scope check before a lead unit exists. */
  cityPath?: string | null;
};

/** New values for snapshot fields (state and version excepted; see `applyDecision`). */
export type OrderPatch = {
  leadUnitId?: string | null;
  leadUnitPath?: string | null;
  coUnitPaths?: readonly string[];
  signedCoUnitPaths?: readonly string[];
  extension?: Extension | null;
  reopenCount?: number;
  parkedUntil?: Date | null;
  stateBeforeReturn?: OrderState | null;
  stateBeforePark?: OrderState | null;
  mergedIntoId?: string | null;
};

export type NotifyTarget = 'lead_unit' | 'co_units' | 'unit' | 'supervisor' | 'superior' | 'citizen' | 'hotline';

export type NotifyTemplate =
  | 'order_dispatched'
  | 'order_dispatched_co'
  | 'order_needs_review'
  | 'order_replied'
  | 'order_closed'
  | 'order_reopened'
  | 'order_returned'
  | 'return_approved'
  | 'return_rejected'
  | 'extension_requested'
  | 'extension_approved'
  | 'extension_refused'
  | 'order_urged'
  | 'order_supervised'
  | 'order_escalated'
  | 'order_parked'
  | 'order_unparked'
  | 'order_withdrawn'
  | 'order_terminated'
  | 'verify_failed';

/**
 * What the use-case must do besides writing the state and the event. Clock effects go to the deadline
 * engine (`src/domain/deadline`) and are tolerant by design, so the use-case applies them leniently:
 * - `start_clocks` (re)starts clocks from now, replacing any of the same kind (reopen, re-dispatch);
 * - `stop_clock`: the step was done now; a no-op if that clock does not exist or is already stopped;
 * - `pause_clock`: pause if running; skip if already paused, stopped, or overdue (a pause must not hide
 *   a lateness, so an overdue clock keeps running);
 * - `resume_clock`: resume if paused, else skip; then extend by `extendDays` (in the clock's day unit);
 * - `cancel_clocks`: drop every open clock of the order without judging it (merge, terminate, invalid,
 *   and the old unit's clocks on an approved return).
 * Notifications are sent after commit.
 */
export type Effect =
  | { kind: 'start_clocks'; clocks: readonly Clock[] }
  | { kind: 'stop_clock'; clock: Clock }
  | { kind: 'pause_clock'; clock: Clock }
  | { kind: 'resume_clock'; clock: Clock; extendDays?: number }
  | { kind: 'cancel_clocks' }
  | { kind: 'notify'; to: NotifyTarget; template: NotifyTemplate; unitPath?: string }
  | { kind: 'set_units'; lead: UnitAssignment; coUnits: readonly UnitAssignment[] }
  | { kind: 'co_unit_signed'; unitPath: string }
  /** Without unitPath: the whole order leaves assessment; with it: only that unit is not charged. */
  | { kind: 'exclude_from_assessment'; reason: string; unitPath?: string }
  | { kind: 'reopen_recommended'; reason: string }
  /** Move this order's requesters to the surviving order (one reply reaches all of them). */
  | { kind: 'merge_into'; intoOrderId: string };

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What goes into the history event's data column (JSON; instants as ISO strings). */
export type EventData = { [key: string]: JsonValue };

/** The outcome of an accepted action. */
export type Decision = {
  from: OrderState;
  to: OrderState;
  /** The history event's type: the action's kind. */
  eventType: ActionKind;
  eventData: EventData;
  /** Write only if the row still has this version (optimistic locking); the new version is one more. */
  expectedVersion: number;
  patch: OrderPatch;
  effects: Effect[];
};

/** Operator-configurable rules of the lifecycle. */
export type LifecyclePolicy = {
  /** Recommend a reopen when the follow-up finds the order unresolved and the citizen unsatisfied. */
  reopenOnUnsatisfied: boolean;
  /** Longest extension that may be asked for or granted, in days. */
  maxExtensionDays: number;
  /** Shortest reply text, in characters. */
  minReplyLength: number;
};

export const defaultLifecyclePolicy: LifecyclePolicy = {
  reopenOnUnsatisfied: true,
  maxExtensionDays: 30,
  minReplyLength: 10,
};

export type DecideInput = {
  order: OrderSnapshot;
  action: OrderAction;
  actor: ActorRef;
  now: Date;
  policy?: Partial<LifecyclePolicy>;
};

// ---------------------------------------------------------------------------------------------------------
// Refusals (role, scope, state) — shared by decideTransition and allowedActions
// ---------------------------------------------------------------------------------------------------------

/** Which part of the order the actor acts for. */
type Capacity = { as: 'order' } | { as: 'lead' } | { as: 'co_unit'; unitPath: string };

/** Why an action is refused, as plain data: allowedActions asks about every action, and an Error's stack is costly. */
type Refusal = { refused: 'FORBIDDEN' | 'ILLEGAL_TRANSITION'; message: string };
const refuse = (code: Refusal['refused'], message: string): Refusal => ({ refused: code, message });
const isRefusal = (x: Refusal | Capacity): x is Refusal => 'refused' in x;
const toError = (r: Refusal) => new DomainError(r.refused, r.message);

const illegal = (state: OrderState, kind: ActionKind) => refuse('ILLEGAL_TRANSITION', `当前状态「${orderStateLabels[state]}」不能执行「${actionLabels[kind]}」`);

const outOfScope = () => refuse('FORBIDDEN', '该工单不在您的管辖范围内');

function coUnitInScope(order: OrderSnapshot, actor: ActorRef): string | undefined {
  return order.coUnitPaths.find((p) => isWithin(actor.scopePath, p));
}

/** Role, then scope, then state: the first reason the actor may not do `kind` now, with the capacity if allowed. */
function check(order: OrderSnapshot, kind: ActionKind, actor: ActorRef, now: Date | undefined): Refusal | Capacity {
  const rule = transitionTable[kind];
  if (!rule.roles.includes(actor.role)) {
    return refuse('FORBIDDEN', `${roleLabels[actor.role]}无权执行「${actionLabels[kind]}」`);
  }

  let capacity: Capacity = { as: 'order' };
  switch (rule.scope) {
    case 'visible': {
      const visible = canSeeOrder(actor, {
        requesterUserIds: order.requesterUserIds ?? [],
        unitPaths: orderUnitPaths(order),
      });
      if (!visible) return outOfScope();
      break;
    }
    case 'order': {
      // A citizen acts on an order only as one of its requesters (rating the result).
      if (actor.role === 'citizen') {
        if (!(order.requesterUserIds ?? []).includes(actor.userId)) return outOfScope();
        break;
      }
      const anchor = order.leadUnitPath ?? order.cityPath ?? null;
      // Before dispatch with no city recorded there is nothing to compare; hotline roles are city-wide.
      if (anchor ? !isWithin(actor.scopePath, anchor) : !actor.scopePath) return outOfScope();
      break;
    }
    case 'lead_unit': {
      if (!isWithin(actor.scopePath, order.leadUnitPath)) {
        if (coUnitInScope(order, actor)) {
          return refuse('FORBIDDEN', `协办单位不能执行「${actionLabels[kind]}」，请由主办单位办理`);
        }
        return outOfScope();
      }
      capacity = { as: 'lead' };
      break;
    }
    case 'lead_or_co_unit': {
      const leadInScope = isWithin(actor.scopePath, order.leadUnitPath);
      const co = coUnitInScope(order, actor);
      // A unit above both lead and co-unit signs as the lead while the lead has not signed yet.
      if (leadInScope && (order.state === 'dispatched' || !co)) capacity = { as: 'lead' };
      else if (co) capacity = { as: 'co_unit', unitPath: co };
      else return outOfScope();
      break;
    }
  }

  if (capacity.as === 'co_unit') {
    if (!(rule.coUnitFrom ?? []).includes(order.state)) return illegal(order.state, kind);
    if ((order.signedCoUnitPaths ?? []).includes(capacity.unitPath)) {
      return refuse('ILLEGAL_TRANSITION', '本单位已签收该工单');
    }
    return capacity;
  }
  if (!rule.from.includes(order.state)) return illegal(order.state, kind);

  // Rules of the moment beyond the state: a pending or late extension, a reopen with no unit to go back to.
  if (kind === 'request_extension') {
    if (order.extension?.state === 'pending') {
      return refuse('ILLEGAL_TRANSITION', '已有待审批的延期申请，不能重复申请');
    }
    if (!order.replyDueAt) return refuse('ILLEGAL_TRANSITION', '工单尚无答复时限，不能申请延期');
    if (now && now.getTime() >= order.replyDueAt.getTime()) {
      return refuse('ILLEGAL_TRANSITION', '已超过答复时限，不能申请延期');
    }
  }
  if ((kind === 'approve_extension' || kind === 'refuse_extension') && order.extension?.state !== 'pending') {
    return refuse('ILLEGAL_TRANSITION', '没有待审批的延期申请');
  }
  if (kind === 'reopen' && !order.leadUnitPath) {
    return refuse('ILLEGAL_TRANSITION', '该工单没有承办单位（直接办结），不能重办');
  }
  return capacity;
}

/**
 * The first reason the actor may not do `kind` on the order now, or null when the action is open to them
 * (the payload is not checked). Without `now`, the extension deadline is not checked.
 * @example refusalOf({ order, kind: 'sign', actor: otherStreetHandler })?.code // → 'FORBIDDEN'
 */
export function refusalOf(args: { order: OrderSnapshot; kind: ActionKind; actor: ActorRef; now?: Date }): DomainError | null {
  const result = check(args.order, args.kind, args.actor, args.now);
  return isRefusal(result) ? toError(result) : null;
}

/**
 * The actions the actor may take on the order now, for the UI's buttons.
 * @example allowedActions(dispatchedOrder, wangjingHandler) // → ['sign', 'return', 'comment']
 */
export function allowedActions(order: OrderSnapshot, actor: ActorRef, now?: Date): ActionKind[] {
  return actionKinds.filter((kind) => !isRefusal(check(order, kind, actor, now)));
}

// ---------------------------------------------------------------------------------------------------------
// Payload validation
// ---------------------------------------------------------------------------------------------------------

const fieldLabels: Record<string, string> = {
  reason: '原因',
  note: '说明',
  text: '内容',
  answer: '答复内容',
  leadUnitId: '主办单位',
  leadUnitPath: '主办单位',
  coUnits: '协办单位',
  contactMethod: '联系方式',
  attachments: '附件',
  evidence: '证明材料',
  resolution: '解决情况',
  satisfaction: '满意度',
  days: '延期天数',
  planDate: '计划解决日期',
  toUnitId: '上级单位',
  toUnitPath: '上级单位',
  intoOrderId: '合并目标工单',
  resolvedClaim: '是否已解决',
  result: '核查结果',
  photos: '现场照片',
};

const MAX_TEXT = 2000;
const MAX_REPLY = 10000;
const MAX_FILES = 20;

/** Collects field problems so one refusal names every bad field. */
class Problems {
  readonly list: FieldProblem[] = [];

  add(field: string, reason: string): void {
    this.list.push({ field, reason });
  }

  text(field: string, value: unknown, opts: { min?: number; max?: number; optional?: boolean } = {}): string {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      if (!opts.optional) this.add(field, '不能为空');
      return '';
    }
    if (typeof value !== 'string') {
      this.add(field, '须为文字');
      return '';
    }
    const text = value.trim();
    const length = [...text].length;
    if (opts.min !== undefined && length < opts.min) this.add(field, `至少${opts.min}个字`);
    if (length > (opts.max ?? MAX_TEXT)) this.add(field, `不能超过${opts.max ?? MAX_TEXT}个字`);
    return text;
  }

  oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T | undefined {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.add(field, value === undefined || value === null ? '不能为空' : `须为 ${allowed.join(' / ')} 之一`);
    return undefined;
  }

  files(field: string, value: unknown): string[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === '')) {
      this.add(field, '须为文件地址列表');
      return [];
    }
    if (value.length > MAX_FILES) this.add(field, `最多${MAX_FILES}个`);
    return value as string[];
  }

  integer(field: string, value: unknown, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.add(field, `须为${min}到${max}之间的整数`);
      return 0;
    }
    return value;
  }

  unit(idField: string, pathField: string, id: unknown, path: unknown): UnitAssignment | undefined {
    const okId = typeof id === 'string' && id.trim() !== '';
    const okPath = typeof path === 'string' && isUnitPath(path);
    if (!okId) this.add(idField, '不能为空');
    if (!okPath) this.add(pathField, '须为单位路径，如 /110000/110105/');
    return okId && okPath ? { id, path } : undefined;
  }

  throwIfAny(kind: ActionKind): void {
    if (this.list.length === 0) return;
    const detail = this.list.map((p) => `${fieldLabels[p.field.replace(/\[\d+\].*$/, '')] ?? p.field}${p.reason}`).join('；');
    throw new DomainError('VALIDATION_FAILED', `「${actionLabels[kind]}」填写有误：${detail}`, this.list);
  }
}

/** A value the validation above has already vouched for; refuses rather than trusting a cast. */
function defined<T>(value: T | undefined, kind: ActionKind, field: string): T {
  if (value === undefined) {
    throw new DomainError('VALIDATION_FAILED', `「${actionLabels[kind]}」填写有误：${fieldLabels[field] ?? field}不能为空`, [
      { field, reason: '不能为空' },
    ]);
  }
  return value;
}

/**
 * Lead and co-units of a dispatch or re-dispatch, checked for shape, duplicates and the actor's scope.
 * Throws with every field problem collected so far.
 */
function validateUnits(
  p: Problems,
  action: ActionOf<'dispatch'> | ActionOf<'approve_return'>,
  actor: ActorRef,
  returningUnitPath: string | null,
): { lead: UnitAssignment; coUnits: UnitAssignment[] } {
  const lead = p.unit('leadUnitId', 'leadUnitPath', action.leadUnitId, action.leadUnitPath);
  const coUnits: UnitAssignment[] = [];
  const raw: unknown = action.coUnits ?? [];
  if (!Array.isArray(raw)) p.add('coUnits', '须为单位列表');
  else {
    raw.forEach((u: unknown, i) => {
      const unit = u as Partial<UnitAssignment> | null;
      const ok = p.unit(`coUnits[${i}].id`, `coUnits[${i}].path`, unit?.id, unit?.path);
      if (!ok) return;
      if (lead && ok.path === lead.path) p.add(`coUnits[${i}].path`, '协办单位不能与主办单位相同');
      else if (coUnits.some((c) => c.path === ok.path)) p.add(`coUnits[${i}].path`, '协办单位重复');
      else coUnits.push(ok);
    });
  }
  if (lead && lead.path === returningUnitPath) p.add('leadUnitPath', '不能改派给退单单位');
  p.throwIfAny(action.kind);
  const checkedLead = defined(lead, action.kind, 'leadUnitPath');
  if (![checkedLead, ...coUnits].every((u) => isWithin(actor.scopePath, u.path))) {
    throw new DomainError('FORBIDDEN', '不能派单给管辖范围以外的单位');
  }
  return { lead: checkedLead, coUnits };
}

// ---------------------------------------------------------------------------------------------------------
// Clocks by state
// ---------------------------------------------------------------------------------------------------------

/** Clocks still running when the order is in a state (which a return or park must pause). */
export function runningClocks(state: OrderState): Clock[] {
  switch (state) {
    case 'dispatched':
      return ['sign', 'response', 'reply'];
    case 'signed':
      return ['response', 'reply'];
    case 'responded':
    case 'in_progress':
      return ['reply'];
    case 'accepted':
    case 'pending_review':
    case 'replied':
    case 'followed_up':
    case 'closed':
    case 'returned':
    case 'parked':
    case 'terminated':
    case 'invalid':
    case 'merged':
      return [];
  }
}

const iso = (d: Date) => d.toISOString();
const pendingCleared = (order: OrderSnapshot): OrderPatch => (order.extension?.state === 'pending' ? { extension: null } : {});
const notifyCoUnits = (coUnits: readonly unknown[], template: NotifyTemplate): Effect[] =>
  coUnits.length > 0 ? [{ kind: 'notify', to: 'co_units', template }] : [];

// ---------------------------------------------------------------------------------------------------------
// The decision
// ---------------------------------------------------------------------------------------------------------

/**
 * Decide what an action does to an order, or throw a DomainError: FORBIDDEN (role or jurisdiction),
 * ILLEGAL_TRANSITION (not from this state, or a rule of the moment such as the extension deadline),
 * VALIDATION_FAILED with `fields` (payload). Pure: the caller writes `to`, `patch` and the event in one
 * transaction and carries out `effects`.
 * @example
 * decideTransition({ order, action: { kind: 'sign' }, actor: handler, now }).to // → 'signed'
 */
export function decideTransition(input: DecideInput): Decision {
  const { order, action, actor, now } = input;
  const policy: LifecyclePolicy = { ...defaultLifecyclePolicy, ...input.policy };
  const kind = action.kind;
  const checked = check(order, kind, actor, now);
  if (isRefusal(checked)) throw toError(checked);
  const capacity = checked;
  const from = order.state;
  const p = new Problems();

  const decision = (to: OrderState, eventData: EventData, effects: Effect[] = [], patch: OrderPatch = {}): Decision => ({
    from,
    to,
    eventType: kind,
    eventData,
    expectedVersion: order.version,
    patch,
    effects,
  });

  switch (action.kind) {
    case 'dispatch': {
      const note = p.text('note', action.note, { optional: true });
      const units = validateUnits(p, action, actor, null);
      return decision(
        'dispatched',
        { leadUnitId: units.lead.id, leadUnitPath: units.lead.path, coUnits: units.coUnits, note: note || null },
        [
          { kind: 'set_units', lead: units.lead, coUnits: units.coUnits },
          { kind: 'start_clocks', clocks: allClocks },
          { kind: 'notify', to: 'lead_unit', template: 'order_dispatched' },
          ...notifyCoUnits(units.coUnits, 'order_dispatched_co'),
        ],
        {
          leadUnitId: units.lead.id,
          leadUnitPath: units.lead.path,
          coUnitPaths: units.coUnits.map((u) => u.path),
          signedCoUnitPaths: [],
        },
      );
    }

    case 'send_to_review': {
      const reason = p.text('reason', action.reason);
      p.throwIfAny(kind);
      return decision('pending_review', { reason }, [{ kind: 'notify', to: 'hotline', template: 'order_needs_review' }]);
    }

    case 'sign': {
      if (capacity.as === 'co_unit') {
        return decision(
          from,
          { as: 'co_unit', unitPath: capacity.unitPath },
          [{ kind: 'co_unit_signed', unitPath: capacity.unitPath }],
          { signedCoUnitPaths: [...(order.signedCoUnitPaths ?? []), capacity.unitPath] },
        );
      }
      return decision('signed', { as: 'lead', unitPath: order.leadUnitPath }, [{ kind: 'stop_clock', clock: 'sign' }]);
    }

    case 'respond': {
      const contactMethod = p.oneOf('contactMethod', action.contactMethod, contactMethods);
      const note = p.text('note', action.note);
      p.throwIfAny(kind);
      return decision('responded', { contactMethod: contactMethod ?? null, note }, [{ kind: 'stop_clock', clock: 'response' }]);
    }

    case 'start_handling':
      return decision('in_progress', {});

    case 'reply': {
      const text = p.text('text', action.text, { min: policy.minReplyLength, max: MAX_REPLY });
      const attachments = p.files('attachments', action.attachments);
      if (action.resolvedClaim !== undefined && typeof action.resolvedClaim !== 'boolean') p.add('resolvedClaim', '须为是或否');
      p.throwIfAny(kind);
      return decision(
        'replied',
        { text, attachments, resolvedClaim: action.resolvedClaim ?? null },
        [
          { kind: 'stop_clock', clock: 'reply' },
          { kind: 'notify', to: 'hotline', template: 'order_replied' },
          { kind: 'notify', to: 'citizen', template: 'order_replied' },
        ],
        pendingCleared(order),
      );
    }

    case 'follow_up': {
      const resolution = p.oneOf('resolution', action.resolution, resolutions);
      const satisfaction = p.oneOf('satisfaction', action.satisfaction, satisfactions);
      const note = p.text('note', action.note, { optional: true });
      p.throwIfAny(kind);
      const reopen = policy.reopenOnUnsatisfied && resolution === 'unresolved' && satisfaction === 'unsatisfied';
      return decision(
        'followed_up',
        { resolution: resolution ?? null, satisfaction: satisfaction ?? null, note: note || null, reopenRecommended: reopen },
        reopen ? [{ kind: 'reopen_recommended', reason: '回访未解决且不满意' }] : [],
      );
    }

    case 'close': {
      const note = p.text('note', action.note, { optional: true });
      p.throwIfAny(kind);
      return decision('closed', { note: note || null }, [{ kind: 'notify', to: 'citizen', template: 'order_closed' }]);
    }

    case 'close_direct': {
      const answer = p.text('answer', action.answer, { max: MAX_REPLY });
      p.throwIfAny(kind);
      return decision('closed', { answer, direct: true }, [{ kind: 'notify', to: 'citizen', template: 'order_closed' }]);
    }

    case 'reopen': {
      const reason = p.text('reason', action.reason);
      p.throwIfAny(kind);
      const reopenCount = order.reopenCount + 1;
      return decision(
        'dispatched',
        { reason, reopenCount, leadUnitPath: order.leadUnitPath },
        [
          { kind: 'start_clocks', clocks: allClocks },
          { kind: 'notify', to: 'lead_unit', template: 'order_reopened' },
          ...notifyCoUnits(order.coUnitPaths, 'order_reopened'),
        ],
        { reopenCount, extension: null, signedCoUnitPaths: [], stateBeforeReturn: null, stateBeforePark: null, parkedUntil: null },
      );
    }

    case 'return': {
      const reason = p.text('reason', action.reason);
      const evidence = p.files('evidence', action.evidence);
      p.throwIfAny(kind);
      return decision(
        'returned',
        { reason, evidence, unitPath: order.leadUnitPath },
        [
          ...runningClocks(from).map((clock): Effect => ({ kind: 'pause_clock', clock })),
          { kind: 'notify', to: 'hotline', template: 'order_returned' },
        ],
        { stateBeforeReturn: from, ...pendingCleared(order) },
      );
    }

    case 'approve_return': {
      const note = p.text('note', action.note, { optional: true });
      const units = validateUnits(p, action, actor, order.leadUnitPath);
      const oldLead = order.leadUnitPath;
      return decision(
        'dispatched',
        { fromUnitPath: oldLead, leadUnitId: units.lead.id, leadUnitPath: units.lead.path, coUnits: units.coUnits, note: note || null },
        [
          ...(oldLead
            ? [
                { kind: 'exclude_from_assessment', reason: '退单已批准，原承办单位不计考核', unitPath: oldLead } satisfies Effect,
                { kind: 'notify', to: 'unit', template: 'return_approved', unitPath: oldLead } satisfies Effect,
              ]
            : []),
          { kind: 'cancel_clocks' },
          { kind: 'set_units', lead: units.lead, coUnits: units.coUnits },
          { kind: 'start_clocks', clocks: allClocks },
          { kind: 'notify', to: 'lead_unit', template: 'order_dispatched' },
          ...notifyCoUnits(units.coUnits, 'order_dispatched_co'),
        ],
        {
          leadUnitId: units.lead.id,
          leadUnitPath: units.lead.path,
          coUnitPaths: units.coUnits.map((u) => u.path),
          signedCoUnitPaths: [],
          stateBeforeReturn: null,
        },
      );
    }

    case 'reject_return': {
      const reason = p.text('reason', action.reason);
      p.throwIfAny(kind);
      const back = order.stateBeforeReturn && isWithUnit(order.stateBeforeReturn) ? order.stateBeforeReturn : 'dispatched';
      return decision(
        back,
        { reason, backTo: back },
        [
          ...runningClocks(back).map((clock): Effect => ({ kind: 'resume_clock', clock })),
          { kind: 'notify', to: 'lead_unit', template: 'return_rejected' },
        ],
        { stateBeforeReturn: null },
      );
    }

    case 'request_extension': {
      const days = p.integer('days', action.days, 1, policy.maxExtensionDays);
      const reason = p.text('reason', action.reason);
      p.throwIfAny(kind);
      return decision(
        from,
        { days, reason, replyDueAt: order.replyDueAt ? iso(order.replyDueAt) : null },
        [
          { kind: 'pause_clock', clock: 'reply' },
          { kind: 'notify', to: 'supervisor', template: 'extension_requested' },
        ],
        { extension: { state: 'pending', requestedAt: now, days, reason, decidedAt: null, approvedDays: null } },
      );
    }

    case 'approve_extension': {
      const pending = order.extension;
      if (!pending) throw new DomainError('ILLEGAL_TRANSITION', '没有待审批的延期申请');
      const days = action.days === undefined ? pending.days : p.integer('days', action.days, 1, policy.maxExtensionDays);
      p.throwIfAny(kind);
      return decision(
        from,
        { days, requestedDays: pending.days },
        [
          { kind: 'resume_clock', clock: 'reply', extendDays: days },
          { kind: 'notify', to: 'lead_unit', template: 'extension_approved' },
        ],
        { extension: { ...pending, state: 'approved', decidedAt: now, approvedDays: days } },
      );
    }

    case 'refuse_extension': {
      const pending = order.extension;
      if (!pending) throw new DomainError('ILLEGAL_TRANSITION', '没有待审批的延期申请');
      const reason = p.text('reason', action.reason);
      p.throwIfAny(kind);
      return decision(
        from,
        { reason, requestedDays: pending.days },
        [
          { kind: 'resume_clock', clock: 'reply' },
          { kind: 'notify', to: 'lead_unit', template: 'extension_refused' },
        ],
        { extension: { ...pending, state: 'refused', decidedAt: now, approvedDays: null } },
      );
    }

    case 'urge': {
      const note = p.text('note', action.note);
      p.throwIfAny(kind);
      return decision(from, { note }, [{ kind: 'notify', to: 'lead_unit', template: 'order_urged' }]);
    }

    case 'supervise': {
      const note = p.text('note', action.note);
      p.throwIfAny(kind);
      return decision(from, { note }, [{ kind: 'notify', to: 'lead_unit', template: 'order_supervised' }]);
    }

    case 'escalate': {
      const note = p.text('note', action.note);
      const target = p.unit('toUnitId', 'toUnitPath', action.toUnitId, action.toUnitPath);
      // The superior must sit above one of the order's units (Journey 5: above the street, i.e. the district).
      const above = target && [order.leadUnitPath, ...order.coUnitPaths].some((u) => u !== target.path && isWithin(target.path, u));
      if (target && !above) p.add('toUnitPath', '须为承办单位的上级单位');
      p.throwIfAny(kind);
      const superior = defined(target, kind, 'toUnitPath');
      if (!isWithin(actor.scopePath, superior.path)) throw toError(outOfScope());
      return decision(from, { toUnitId: superior.id, toUnitPath: superior.path, note }, [
        { kind: 'notify', to: 'superior', template: 'order_escalated', unitPath: superior.path },
      ]);
    }

    case 'park': {
      const reason = p.text('reason', action.reason);
      const plan: unknown = action.planDate;
      const planDate = plan instanceof Date && !Number.isNaN(plan.getTime()) ? plan : undefined;
      if (!planDate) p.add('planDate', '须为日期');
      else if (planDate.getTime() <= now.getTime()) p.add('planDate', '须晚于当前时间');
      p.throwIfAny(kind);
      const until = defined(planDate, kind, 'planDate');
      return decision(
        'parked',
        { planDate: iso(until), reason },
        [
          ...runningClocks(from).map((clock): Effect => ({ kind: 'pause_clock', clock })),
          { kind: 'notify', to: 'lead_unit', template: 'order_parked' },
          { kind: 'notify', to: 'citizen', template: 'order_parked' },
        ],
        { parkedUntil: until, stateBeforePark: from, ...pendingCleared(order) },
      );
    }

    case 'unpark': {
      const note = p.text('note', action.note, { optional: true });
      p.throwIfAny(kind);
      const before = order.stateBeforePark;
      const back: OrderState = before === 'signed' || before === 'responded' || before === 'in_progress' ? before : 'in_progress';
      return decision(
        back,
        { note: note || null, backTo: back },
        [
          ...runningClocks(back).map((clock): Effect => ({ kind: 'resume_clock', clock })),
          { kind: 'notify', to: 'lead_unit', template: 'order_unparked' },
        ],
        { parkedUntil: null, stateBeforePark: null },
      );
    }

    case 'merge': {
      const intoOrderId = p.text('intoOrderId', action.intoOrderId, { max: 200 });
      if (intoOrderId && intoOrderId === order.id) p.add('intoOrderId', '不能合并到自身');
      p.throwIfAny(kind);
      return decision(
        'merged',
        { intoOrderId },
        [
          { kind: 'cancel_clocks' },
          { kind: 'merge_into', intoOrderId },
          { kind: 'exclude_from_assessment', reason: '重复诉求已合并' },
          ...(order.leadUnitPath ? [{ kind: 'notify', to: 'lead_unit', template: 'order_withdrawn' } satisfies Effect] : []),
        ],
        { mergedIntoId: intoOrderId },
      );
    }

    case 'terminate': {
      const reason = p.text('reason', action.reason);
      p.throwIfAny(kind);
      const unitHasIt = isWithUnit(from) || from === 'returned';
      return decision('terminated', { reason }, [
        { kind: 'cancel_clocks' },
        { kind: 'notify', to: 'citizen', template: 'order_terminated' },
        ...(unitHasIt ? [{ kind: 'notify', to: 'lead_unit', template: 'order_withdrawn' } satisfies Effect] : []),
      ]);
    }

    case 'mark_invalid': {
      const reason = p.text('reason', action.reason);
      p.throwIfAny(kind);
      return decision('invalid', { reason }, [
        { kind: 'cancel_clocks' },
        { kind: 'exclude_from_assessment', reason: `无效诉求：${reason}` },
        ...(from === 'dispatched' ? [{ kind: 'notify', to: 'lead_unit', template: 'order_withdrawn' } satisfies Effect] : []),
      ]);
    }

    case 'verify_on_site': {
      const result = p.oneOf('result', action.result, onSiteResults);
      // A failed check must say what is still wrong: the handling unit reads it and acts on it.
      const note = p.text('note', action.note, { optional: result !== 'failed' });
      const photos = p.files('photos', action.photos);
      p.throwIfAny(kind);
      const failed = result === 'failed';
      return decision(
        from,
        { result: result ?? null, note: note || null, photos, unitPath: order.leadUnitPath },
        failed
          ? [
              { kind: 'notify', to: 'lead_unit', template: 'verify_failed' },
              { kind: 'notify', to: 'hotline', template: 'verify_failed' },
            ]
          : [],
      );
    }

    case 'comment': {
      const text = p.text('text', action.text);
      p.throwIfAny(kind);
      return decision(from, { text });
    }
  }
}

/**
 * The snapshot after a decision: the new state, the patched fields, the next version. For tests and for
 * the store to build the row it writes.
 * @example applyDecision(order, decideTransition({ order, action: { kind: 'sign' }, actor, now })).state // → 'signed'
 */
export function applyDecision(order: OrderSnapshot, decision: Decision): OrderSnapshot {
  return { ...order, ...decision.patch, state: decision.to, version: decision.expectedVersion + 1 };
}
