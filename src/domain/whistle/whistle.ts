/**
 * 吹哨报到: a street that cannot solve a problem alone summons departments and companies to a place; each
 * must report in (报到) by a deadline and take part. These are the pure rules: who may blow, who reports in
 * on time or late, who is missing, and how late report-ins add up per department. `now` is passed in.
 */
import { DomainError, type FieldProblem } from '../errors.js';
import { isUnitPath, isWithin, type UnitLevel } from '../jurisdiction.js';
import type { EventData } from '../order/lifecycle.js';
import type { ActorRef, Role } from '../roles.js';

export const whistleKinds = ['routine', 'hard', 'emergency'] as const;

export type WhistleKind = (typeof whistleKinds)[number];

export const whistleKindLabels: Record<WhistleKind, string> = {
  routine: '日常哨',
  hard: '攻坚哨',
  emergency: '应急哨',
};

/** Operator-configurable whistle rules. */
export type WhistlePolicy = {
  /** Minutes from the whistle to the report-in deadline, by kind (a whistle may set its own). */
  reportDeadlineMinutes: Record<WhistleKind, number>;
};

export const defaultWhistlePolicy: WhistlePolicy = {
  reportDeadlineMinutes: { emergency: 30, hard: 60, routine: 24 * 60 },
};

/** Longest report-in deadline a whistle may set: one week. */
const MAX_DEADLINE_MINUTES = 7 * 24 * 60;
const MINUTE = 60_000;

/** Levels that may be summoned: departments (委办局) and public-service companies. */
const summonableLevels: readonly UnitLevel[] = ['department', 'company'];

/** Roles that act for a street or a summoned unit in a whistle. */
const whistleRoles: readonly Role[] = ['handler', 'leader'];

export type SummonedUnit = {
  unitId: string;
  unitPath: string;
  level: UnitLevel;
  reportedAt: Date | null;
  reportedBy: string | null;
  /** null until reported in. */
  onTime: boolean | null;
  reportNote: string | null;
};

/** A contribution to the joint handling, by a summoned unit or the street itself. */
export type WhistlePart = { unitId: string; at: Date; by: string; text: string };

/** A whistle as the store keeps it. */
export type Whistle = {
  id: string;
  kind: WhistleKind;
  status: 'open' | 'closed';
  streetUnitId: string;
  streetPath: string;
  blownBy: string;
  blownAt: Date;
  reason: string;
  place: string;
  meetAt: Date;
  reportDueAt: Date;
  summoned: SummonedUnit[];
  /** Orders the whistle was blown over. */
  orderIds: string[];
  parts: WhistlePart[];
  outcome: string | null;
  closedAt: Date | null;
  closedBy: string | null;
  /** Orders the whistle's joint handling resolved (a subset of `orderIds`). */
  closedOrderIds: string[];
};

export type WhistleEventType = 'whistle_blown' | 'reported_in' | 'part_recorded' | 'whistle_closed';

/** One row of the whistle's history. */
export type WhistleEvent = { type: WhistleEventType; at: Date; actorUserId: string; unitId: string | null; data: EventData };

/** Who must be told, after commit. */
export type WhistleNotice = { unitId: string; template: 'whistle_summoned' | 'whistle_closed' };

/** The new whistle, the events to append and the notices to send. */
export type WhistleChange = { whistle: Whistle; events: WhistleEvent[]; notices: WhistleNotice[] };

// ---------------------------------------------------------------------------------------------------------

const fieldLabels: Record<string, string> = {
  street: '吹哨街道',
  kind: '哨令类型',
  reason: '吹哨事由',
  place: '地点',
  meetAt: '集合时间',
  summoned: '召集单位',
  orderIds: '关联工单',
  reportDeadlineMinutes: '报到时限',
  note: '说明',
  text: '处置情况',
  outcome: '处置结果',
  closedOrderIds: '办结工单',
};

function refuseFields(what: string, problems: FieldProblem[]): void {
  if (problems.length === 0) return;
  const detail = problems.map((p) => `${fieldLabels[p.field.replace(/\[\d+\].*$/, '')] ?? p.field}${p.reason}`).join('；');
  throw new DomainError('VALIDATION_FAILED', `「${what}」填写有误：${detail}`, problems);
}

function text(problems: FieldProblem[], field: string, value: unknown, max = 2000): string {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push({ field, reason: '不能为空' });
    return '';
  }
  if ([...value.trim()].length > max) problems.push({ field, reason: `不能超过${max}个字` });
  return value.trim();
}

const validDate = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());

/** The actor acts for exactly this unit (its scope is the unit's own subtree). */
const actsFor = (actor: ActorRef, unitPath: string) => actor.scopePath === unitPath;

function requireRole(actor: ActorRef, what: string): void {
  if (!whistleRoles.includes(actor.role)) throw new DomainError('FORBIDDEN', `无权${what}`);
}

function requireOpen(whistle: Whistle, what: string): void {
  if (whistle.status !== 'open') throw new DomainError('ILLEGAL_TRANSITION', `当前状态「已关闭」不能执行「${what}」`);
}

function summonedUnit(whistle: Whistle, unitId: string): SummonedUnit {
  const unit = whistle.summoned.find((u) => u.unitId === unitId);
  if (!unit) {
    throw new DomainError('VALIDATION_FAILED', '该单位未被召集', [{ field: 'unitId', reason: '该单位未被召集' }]);
  }
  return unit;
}

const minutesBetween = (from: Date, to: Date) => Math.ceil((to.getTime() - from.getTime()) / MINUTE);

// ---------------------------------------------------------------------------------------------------------

export type BlowWhistleInput = {
  /** Assigned by the caller (the domain makes no ids). */
  id: string;
  street: { unitId: string; path: string; level: UnitLevel };
  actor: ActorRef;
  kind: WhistleKind;
  reason: string;
  place: string;
  meetAt: Date;
  summoned: readonly { unitId: string; unitPath: string; level: UnitLevel }[];
  orderIds?: readonly string[];
  /** Overrides the policy's deadline for this whistle (Journey 3: a 攻坚哨 with 30 minutes). */
  reportDeadlineMinutes?: number;
  policy?: WhistlePolicy;
  now: Date;
};

/**
 * Blow a whistle: a street's handler or leader summons departments and companies to a place; the
 * report-in deadline runs from now.
 * @example blowWhistle({ id, street: wangjing, actor, kind: 'hard', reason, place, meetAt, summoned: [cgzf, scjg], reportDeadlineMinutes: 30, now })
 */
export function blowWhistle(input: BlowWhistleInput): WhistleChange {
  const { street, actor, now } = input;
  requireRole(actor, '吹哨');
  const problems: FieldProblem[] = [];
  if (street.level !== 'street' || !isUnitPath(street.path)) problems.push({ field: 'street', reason: '须为街道/乡镇' });
  refuseFields('吹哨', problems);
  if (!actsFor(actor, street.path)) throw new DomainError('FORBIDDEN', '只有本街道的承办人或领导可以吹哨');

  if (!(whistleKinds as readonly string[]).includes(input.kind)) problems.push({ field: 'kind', reason: '须为日常哨、攻坚哨或应急哨' });
  const reason = text(problems, 'reason', input.reason);
  const place = text(problems, 'place', input.place, 200);
  if (!validDate(input.meetAt)) problems.push({ field: 'meetAt', reason: '须为时间' });
  const summonedRaw: unknown = input.summoned;
  const summoned = Array.isArray(summonedRaw) ? input.summoned : [];
  if (summoned.length === 0) problems.push({ field: 'summoned', reason: '至少召集一个单位' });
  const seen = new Set<string>();
  summoned.forEach((u, i) => {
    if (!u.unitId) problems.push({ field: `summoned[${i}].unitId`, reason: '不能为空' });
    if (!isUnitPath(u.unitPath)) problems.push({ field: `summoned[${i}].unitPath`, reason: '须为单位路径' });
    if (!summonableLevels.includes(u.level)) problems.push({ field: `summoned[${i}].level`, reason: '只能召集委办局或公共服务企业' });
    if (seen.has(u.unitId)) problems.push({ field: `summoned[${i}].unitId`, reason: '重复召集' });
    seen.add(u.unitId);
  });
  const orderIds = [...new Set(input.orderIds ?? [])];
  if (orderIds.some((o) => typeof o !== 'string' || o === '')) problems.push({ field: 'orderIds', reason: '须为工单编号列表' });
  const policy = input.policy ?? defaultWhistlePolicy;
  const minutes = input.reportDeadlineMinutes ?? policy.reportDeadlineMinutes[input.kind];
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_DEADLINE_MINUTES) {
    problems.push({ field: 'reportDeadlineMinutes', reason: `须为1到${MAX_DEADLINE_MINUTES}之间的整数` });
  }
  refuseFields('吹哨', problems);

  const reportDueAt = new Date(now.getTime() + minutes * MINUTE);
  const whistle: Whistle = {
    id: input.id,
    kind: input.kind,
    status: 'open',
    streetUnitId: street.unitId,
    streetPath: street.path,
    blownBy: actor.userId,
    blownAt: now,
    reason,
    place,
    meetAt: input.meetAt,
    reportDueAt,
    summoned: input.summoned.map((u) => ({
      unitId: u.unitId,
      unitPath: u.unitPath,
      level: u.level,
      reportedAt: null,
      reportedBy: null,
      onTime: null,
      reportNote: null,
    })),
    orderIds,
    parts: [],
    outcome: null,
    closedAt: null,
    closedBy: null,
    closedOrderIds: [],
  };
  return {
    whistle,
    events: [
      {
        type: 'whistle_blown',
        at: now,
        actorUserId: actor.userId,
        unitId: street.unitId,
        data: {
          kind: input.kind,
          reason,
          place,
          meetAt: input.meetAt.toISOString(),
          reportDueAt: reportDueAt.toISOString(),
          reportDeadlineMinutes: minutes,
          summoned: input.summoned.map((u) => u.unitId),
          orderIds,
        },
      },
    ],
    notices: input.summoned.map((u) => ({ unitId: u.unitId, template: 'whistle_summoned' })),
  };
}

/**
 * A summoned unit reports in (报到): on time up to and including the deadline, late after it. The unit's own
 * handler or leader reports, or the street's staff record it on site.
 * @example reportIn({ whistle, unitId: '110105-CGZF', actor, now: plus20min }).whistle.summoned[0]?.onTime // → true
 */
export function reportIn(input: { whistle: Whistle; unitId: string; actor: ActorRef; now: Date; note?: string }): WhistleChange {
  const { whistle, actor, now } = input;
  requireRole(actor, '报到');
  requireOpen(whistle, '报到');
  const unit = summonedUnit(whistle, input.unitId);
  if (!isWithin(actor.scopePath, unit.unitPath) && !actsFor(actor, whistle.streetPath)) {
    throw new DomainError('FORBIDDEN', '只能为本单位报到');
  }
  if (unit.reportedAt) throw new DomainError('ILLEGAL_TRANSITION', '该单位已报到');
  const problems: FieldProblem[] = [];
  const note = input.note === undefined || input.note.trim() === '' ? null : text(problems, 'note', input.note);
  refuseFields('报到', problems);

  const onTime = now.getTime() <= whistle.reportDueAt.getTime();
  const reported: SummonedUnit = { ...unit, reportedAt: now, reportedBy: actor.userId, onTime, reportNote: note };
  return {
    whistle: { ...whistle, summoned: whistle.summoned.map((u) => (u.unitId === unit.unitId ? reported : u)) },
    events: [
      {
        type: 'reported_in',
        at: now,
        actorUserId: actor.userId,
        unitId: unit.unitId,
        data: {
          onTime,
          minutesAfterWhistle: minutesBetween(whistle.blownAt, now),
          minutesLate: onTime ? 0 : minutesBetween(whistle.reportDueAt, now),
          note,
        },
      },
    ],
    notices: [],
  };
}

/**
 * Record a unit's part in the joint handling. The unit must have reported in (the street itself may always
 * record its own part).
 */
export function recordPart(input: { whistle: Whistle; unitId: string; actor: ActorRef; now: Date; text: string }): WhistleChange {
  const { whistle, actor, now } = input;
  requireRole(actor, '记录处置情况');
  requireOpen(whistle, '记录处置情况');
  const isStreet = input.unitId === whistle.streetUnitId;
  const unit = isStreet ? null : summonedUnit(whistle, input.unitId);
  const unitPath = unit ? unit.unitPath : whistle.streetPath;
  if (!isWithin(actor.scopePath, unitPath) && !actsFor(actor, whistle.streetPath)) {
    throw new DomainError('FORBIDDEN', '只能记录本单位的处置情况');
  }
  if (unit && !unit.reportedAt) throw new DomainError('ILLEGAL_TRANSITION', '该单位尚未报到');
  const problems: FieldProblem[] = [];
  const partText = text(problems, 'text', input.text);
  refuseFields('记录处置情况', problems);

  const part: WhistlePart = { unitId: input.unitId, at: now, by: actor.userId, text: partText };
  return {
    whistle: { ...whistle, parts: [...whistle.parts, part] },
    events: [{ type: 'part_recorded', at: now, actorUserId: actor.userId, unitId: input.unitId, data: { text: partText } }],
    notices: [],
  };
}

/**
 * Close a whistle with its outcome and the orders its joint handling resolved. Units that never reported in
 * by then (and whose deadline has passed) are recorded as missing.
 */
export function closeWhistle(input: {
  whistle: Whistle;
  actor: ActorRef;
  now: Date;
  outcome: string;
  closedOrderIds: readonly string[];
}): WhistleChange {
  const { whistle, actor, now } = input;
  requireRole(actor, '关闭哨令');
  if (!actsFor(actor, whistle.streetPath)) throw new DomainError('FORBIDDEN', '只有吹哨街道可以关闭哨令');
  requireOpen(whistle, '关闭哨令');
  const problems: FieldProblem[] = [];
  const outcome = text(problems, 'outcome', input.outcome, 5000);
  const closedOrderIds = [...new Set(input.closedOrderIds)];
  const unknown = closedOrderIds.filter((o) => !whistle.orderIds.includes(o));
  if (unknown.length > 0) problems.push({ field: 'closedOrderIds', reason: `不属于本哨令的工单：${unknown.join('、')}` });
  refuseFields('关闭哨令', problems);

  const closed: Whistle = { ...whistle, status: 'closed', outcome, closedAt: now, closedBy: actor.userId, closedOrderIds };
  const summary = whistleSummary(closed, now);
  return {
    whistle: closed,
    events: [
      {
        type: 'whistle_closed',
        at: now,
        actorUserId: actor.userId,
        unitId: whistle.streetUnitId,
        data: {
          outcome,
          closedOrderIds,
          late: summary.late.map((u) => u.unitId),
          missing: summary.missing.map((u) => u.unitId),
        },
      },
    ],
    notices: whistle.summoned.map((u) => ({ unitId: u.unitId, template: 'whistle_closed' })),
  };
}

export type WhistleSummary = {
  reportDueAt: Date;
  onTime: SummonedUnit[];
  late: (SummonedUnit & { minutesLate: number })[];
  /** Not reported in and the deadline has passed (judged at closing for a closed whistle). */
  missing: SummonedUnit[];
  /** Not reported in yet, deadline still ahead. */
  waiting: SummonedUnit[];
};

/**
 * Who reported in on time, who late, who is missing, who may still come.
 * @example whistleSummary(whistle, now).late.map((u) => u.unitId) // → ['110105-SCJG']
 */
export function whistleSummary(whistle: Whistle, now: Date): WhistleSummary {
  const asOf = whistle.closedAt ?? now;
  const overdue = asOf.getTime() > whistle.reportDueAt.getTime();
  const summary: WhistleSummary = { reportDueAt: whistle.reportDueAt, onTime: [], late: [], missing: [], waiting: [] };
  for (const u of whistle.summoned) {
    if (u.reportedAt && u.onTime) summary.onTime.push(u);
    else if (u.reportedAt) summary.late.push({ ...u, minutesLate: minutesBetween(whistle.reportDueAt, u.reportedAt) });
    else if (overdue) summary.missing.push(u);
    else summary.waiting.push(u);
  }
  return summary;
}

/** One department's report-in record over many whistles. */
export type DepartmentReportRecord = {
  unitId: string;
  unitPath: string;
  summoned: number;
  onTime: number;
  late: number;
  missing: number;
};

/**
 * Late and missing report-ins per summoned unit, worst first (late + missing, then late). Without `now`,
 * units of still-open whistles count as missing only once the whistle is closed.
 * @example lateCountsByDepartment([journey3Whistle])[0] // → { unitId: '110105-SCJG', late: 1, ... }
 */
export function lateCountsByDepartment(whistles: readonly Whistle[], now?: Date): DepartmentReportRecord[] {
  const byUnit = new Map<string, DepartmentReportRecord>();
  for (const w of whistles) {
    const summary = whistleSummary(w, w.closedAt ?? now ?? w.blownAt);
    const bump = (u: SummonedUnit, field: 'onTime' | 'late' | 'missing' | null) => {
      const row = byUnit.get(u.unitId) ?? { unitId: u.unitId, unitPath: u.unitPath, summoned: 0, onTime: 0, late: 0, missing: 0 };
      row.summoned += 1;
      if (field) row[field] += 1;
      byUnit.set(u.unitId, row);
    };
    summary.onTime.forEach((u) => bump(u, 'onTime'));
    summary.late.forEach((u) => bump(u, 'late'));
    summary.missing.forEach((u) => bump(u, 'missing'));
    summary.waiting.forEach((u) => bump(u, null));
  }
  return [...byUnit.values()].sort(
    (a, b) => b.late + b.missing - (a.late + a.missing) || b.late - a.late || a.unitId.localeCompare(b.unitId),
  );
}
