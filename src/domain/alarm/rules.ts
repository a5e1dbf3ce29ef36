/**
 * Alert models (监测预警模型) as data an administrator writes without code, and their evaluation over a stream of
 * observations from one source. Pure: the state of each (model, source) is passed in and handed back, so the
 * caller keeps it in the database and several servers and restarts agree.
 *
 * Kinds:
 * - `threshold`  value op X                                   (stateless: every holding reading fires)
 * - `duration`   value op X continuously for N minutes
 * - `repeat`     value op X (or: a matching event) N times within M minutes
 * - `rate`       value rises/falls by at least A within M minutes
 * - `geofence`   a moving sensor enters / leaves a fence (grid cells or a polygon)
 * - `expiry`     an external row (e.g. a health certificate) expires within N days — evaluated by a sweep
 * - `event`      a video-analysis event or patrol report of a kind (and confidence)
 *
 * A model may also say when its alarm clears by itself (`recovery`; absent: only a person clears it):
 * - threshold, duration: the reading back on the normal side (optionally past a hysteresis value) for N minutes
 * - geofence:            the source back on the non-alarming side for N minutes
 * - repeat, rate, event: no firing for N minutes (a sweep, since no reading comes to say so)
 * - expiry:              the row renewed past the window, or removed (the expiry sweep)
 */
import { invalid, type FieldProblem, DomainError } from '../errors.js';
import { parsePolygon, pointInPolygon, type PolygonGeometry } from './geo.js';

export const ruleKinds = ['threshold', 'duration', 'repeat', 'rate', 'geofence', 'expiry', 'event'] as const;
export type RuleKind = (typeof ruleKinds)[number];
export const ruleKindLabels: Record<RuleKind, string> = { threshold: '阈值', duration: '持续时长', repeat: '重复次数', rate: '变化率', geofence: '电子围栏', expiry: '到期提醒', event: '事件' };

export const sourceTypes = ['sensor', 'video', 'patrol', 'external'] as const;
export type SourceType = (typeof sourceTypes)[number];
export const sourceTypeLabels: Record<SourceType, string> = { sensor: '传感器', video: '视频分析', patrol: '巡查上报', external: '外部数据' };

export const severities = ['critical', 'major', 'minor', 'warning'] as const;
export type Severity = (typeof severities)[number];
export const severityLabels: Record<Severity, string> = { critical: '紧急', major: '重要', minor: '次要', warning: '提示' };

export const comparisons = ['gt', 'gte', 'lt', 'lte'] as const;
export type Comparison = (typeof comparisons)[number];
const comparisonSigns: Record<Comparison, string> = { gt: '>', gte: '≥', lt: '<', lte: '≤' };

/** Which sources a model watches. Empty fields match everything of the source type. */
export type ModelScope = { metric?: string; sensorKind?: string; sensorIds?: string[]; eventKind?: string; table?: string };

export type RuleParams =
  | { kind: 'threshold'; op: Comparison; value: number }
  | { kind: 'duration'; op: Comparison; value: number; minutes: number }
  | { kind: 'repeat'; op?: Comparison; value?: number; times: number; minutes: number }
  | { kind: 'rate'; direction: 'up' | 'down' | 'any'; amount: number; minutes: number }
  | { kind: 'geofence'; mode: 'enter' | 'leave'; gridIds?: string[]; polygon?: PolygonGeometry }
  | { kind: 'expiry'; withinDays: number }
  | { kind: 'event'; minConfidence?: number };

/** Which rule kinds make sense for which source. */
export const kindsBySource: Record<SourceType, readonly RuleKind[]> = {
  sensor: ['threshold', 'duration', 'repeat', 'rate', 'geofence'],
  video: ['event', 'repeat'],
  patrol: ['event', 'repeat'],
  external: ['expiry'],
};

/**
 * When an alarm clears by itself: after `minutes` back on the normal side (readings), or without a firing
 * (repeat, rate, event). `value` is a hysteresis bound for threshold and duration: raise above 20, clear below 15.
 */
export type RecoveryParams = { minutes: number; value?: number };

/** How a kind's alarm recovers: from the readings themselves, from silence (a sweep), or from the row's renewal. */
export type RecoveryMode = 'reading' | 'silence' | 'renewal';
export const recoveryModes: Record<RuleKind, RecoveryMode> = { threshold: 'reading', duration: 'reading', geofence: 'reading', repeat: 'silence', rate: 'silence', event: 'silence', expiry: 'renewal' };

export type ModelSpec = { id: string; name: string; kind: RuleKind; sourceType: SourceType; scope: ModelScope; params: RuleParams; severity: Severity; recovery?: RecoveryParams | null };

/** A model ready to evaluate: geofences resolved to geometries (the caller loads grid cells). */
export type CompiledModel = ModelSpec & { fence?: PolygonGeometry[] };

/** One thing seen: a sensor reading, or an event (video analysis, patrol report). */
export type Observation =
  | { type: 'reading'; sourceKey: string; sensorId: string; sensorKind: string; metric: string; value: number; ts: Date; lng?: number | null; lat?: number | null }
  | { type: 'event'; sourceKey: string; sourceType: 'video' | 'patrol'; kind: string; confidence?: number | null; ts: Date };

/** What one model remembers about one source between batches (JSON-serialisable). */
export type RuleState = {
  /** Time (ms) of the last observation taken into account; older ones are ignored by stateful kinds. */
  lastTs?: number;
  /** duration: since when (ms) the condition has held without a break. */
  since?: number | null;
  /** repeat: times (ms) the condition held within the window. */
  hits?: number[];
  /** rate: (ms, value) samples within the window. */
  samples?: [number, number][];
  /** geofence: whether the last position was inside the fence. */
  inside?: boolean | null;
  /** recovery: since when (ms) the source has been back on the normal side without a break. */
  normalSince?: number | null;
  /**
   * recovery: whether an alarm may be open — set by a firing, unset by a recovery. Unknown (absent) counts as
   * armed, so alarms raised before the model had a recovery still clear, once.
   */
  armed?: boolean;
};

/** A model's condition held: raise (or repeat) its alarm for the source. `at` is when the condition came to hold. */
export type Firing = { at: Date; value: number | null; message: string; detail: Record<string, unknown> };

/** A model's recovery held: clear the source's open alarm, if any. `message` is the reason people read. */
export type Recovery = { at: Date; value: number | null; message: string; detail: Record<string, unknown> };

const MINUTE = 60_000;
const MAX_SAMPLES = 512;

function num(p: Record<string, unknown>, field: string, problems: FieldProblem[], opts: { min?: number; max?: number; int?: boolean; optional?: boolean; prefix?: string } = {}): number | undefined {
  const v = p[field];
  const name = `${opts.prefix ?? 'params'}.${field}`;
  if (v === undefined || v === null) {
    if (!opts.optional) problems.push({ field: name, reason: '必填' });
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    problems.push({ field: name, reason: '必须是数字' });
    return undefined;
  }
  if (opts.int && !Number.isInteger(v)) problems.push({ field: name, reason: '必须是整数' });
  if (opts.min !== undefined && v < opts.min) problems.push({ field: name, reason: `不能小于 ${opts.min}` });
  if (opts.max !== undefined && v > opts.max) problems.push({ field: name, reason: `不能大于 ${opts.max}` });
  return v;
}

function pick<T extends string>(p: Record<string, unknown>, field: string, values: readonly T[], problems: FieldProblem[], optional = false): T | undefined {
  const v = p[field];
  if (v === undefined || v === null) {
    if (!optional) problems.push({ field: `params.${field}`, reason: `必填（可选：${values.join('、')}）` });
    return undefined;
  }
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    problems.push({ field: `params.${field}`, reason: `取值无效（可选：${values.join('、')}）` });
    return undefined;
  }
  return v as T;
}

/**
 * Check a model's kind, source and parameters; returns the typed parameters or throws VALIDATION_FAILED naming
 * every bad field (`params.minutes`…) in Chinese.
 * @example validateRule({ kind: 'duration', sourceType: 'sensor', params: { op: 'gt', value: 80, minutes: 5 } })
 */
export function validateRule(input: { kind: RuleKind; sourceType: SourceType; params: Record<string, unknown>; scope: ModelScope }): RuleParams {
  return validateModel(input).params;
}

const MAX_MINUTES = 7 * 24 * 60;

/**
 * Check a model's rule and its recovery together, naming every bad field (`params.value`, `recovery.minutes`…).
 * @example validateModel({ kind: 'duration', sourceType: 'sensor', scope: {}, params: { op: 'gt', value: 20, minutes: 5 }, recovery: { minutes: 5, value: 15 } })
 */
export function validateModel(input: { kind: RuleKind; sourceType: SourceType; params: Record<string, unknown>; scope: ModelScope; recovery?: unknown }): { params: RuleParams; recovery: RecoveryParams | null } {
  const { kind, sourceType, params: p } = input;
  if (!kindsBySource[sourceType].includes(kind)) {
    throw invalid('kind', `${sourceTypeLabels[sourceType]}模型只能是：${kindsBySource[sourceType].map((k) => `${k}（${ruleKindLabels[k]}）`).join('、')}`);
  }
  const problems: FieldProblem[] = [];
  const window = () => num(p, 'minutes', problems, { min: 1, max: MAX_MINUTES, int: true });
  let out: RuleParams | null = null;
  switch (kind) {
    case 'threshold': {
      const op = pick(p, 'op', comparisons, problems);
      const value = num(p, 'value', problems);
      if (op && value !== undefined) out = { kind, op, value };
      break;
    }
    case 'duration': {
      const op = pick(p, 'op', comparisons, problems);
      const value = num(p, 'value', problems);
      const minutes = window();
      if (op && value !== undefined && minutes !== undefined) out = { kind, op, value, minutes };
      break;
    }
    case 'repeat': {
      const needsValue = sourceType === 'sensor';
      const op = pick(p, 'op', comparisons, problems, !needsValue);
      const value = num(p, 'value', problems, { optional: !needsValue });
      if ((op === undefined) !== (value === undefined) && !needsValue) problems.push({ field: 'params.value', reason: 'op 与 value 须同时给出' });
      const times = num(p, 'times', problems, { min: 2, max: 10_000, int: true });
      const minutes = window();
      if (times !== undefined && minutes !== undefined) out = { kind, ...(op !== undefined && value !== undefined ? { op, value } : {}), times, minutes };
      break;
    }
    case 'rate': {
      const direction = pick(p, 'direction', ['up', 'down', 'any'] as const, problems);
      const amount = num(p, 'amount', problems);
      if (amount !== undefined && amount <= 0) problems.push({ field: 'params.amount', reason: '必须大于 0' });
      const minutes = window();
      if (direction && amount !== undefined && minutes !== undefined) out = { kind, direction, amount, minutes };
      break;
    }
    case 'geofence': {
      const mode = pick(p, 'mode', ['enter', 'leave'] as const, problems);
      const gridIds = p.gridIds;
      let polygon: PolygonGeometry | undefined;
      if (gridIds !== undefined && (!Array.isArray(gridIds) || gridIds.length === 0 || gridIds.length > 200 || !gridIds.every((g) => typeof g === 'string' && g.length > 0))) {
        problems.push({ field: 'params.gridIds', reason: '必须是 1–200 个网格编码' });
      }
      if (p.polygon !== undefined) {
        const parsed = parsePolygon(p.polygon);
        if ('error' in parsed) problems.push({ field: 'params.polygon', reason: parsed.error });
        else polygon = parsed.geometry;
      }
      if (gridIds === undefined && p.polygon === undefined) problems.push({ field: 'params.gridIds', reason: '须给出网格编码 gridIds 或多边形 polygon' });
      if (mode) out = { kind, mode, ...(Array.isArray(gridIds) ? { gridIds: gridIds as string[] } : {}), ...(polygon ? { polygon } : {}) };
      break;
    }
    case 'expiry': {
      const withinDays = num(p, 'withinDays', problems, { min: 0, max: 3650, int: true });
      if (!input.scope.table) problems.push({ field: 'scope.table', reason: '到期提醒须指定外部数据表（如 health_certificates）' });
      if (withinDays !== undefined) out = { kind, withinDays };
      break;
    }
    case 'event': {
      const minConfidence = num(p, 'minConfidence', problems, { min: 0, max: 1, optional: true });
      out = { kind, ...(minConfidence !== undefined ? { minConfidence } : {}) };
      break;
    }
    default: {
      const never: never = kind;
      throw invalid('kind', `未知的模型类型 ${String(never)}`);
    }
  }
  const recovery = checkRecovery(kind, out, input.recovery, problems);
  if (problems.length || !out) {
    throw new DomainError('VALIDATION_FAILED', `预警模型参数有误：${problems.map((x) => `${x.field}（${x.reason}）`).join('；')}`, problems);
  }
  return { params: out, recovery };
}

/** The recovery condition of a model of this kind (null: cleared by people only); problems named `recovery.*`. */
function checkRecovery(kind: RuleKind, params: RuleParams | null, raw: unknown, problems: FieldProblem[]): RecoveryParams | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ field: 'recovery', reason: '必须是对象，如 { "minutes": 5 }' });
    return null;
  }
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) if (k !== 'minutes' && k !== 'value') problems.push({ field: `recovery.${k}`, reason: '不支持的字段（可选：minutes、value）' });
  const mode = recoveryModes[kind];
  let minutes: number | undefined;
  switch (mode) {
    case 'renewal':
      minutes = num(r, 'minutes', problems, { prefix: 'recovery', optional: true, int: true }) ?? 0;
      if (minutes !== 0) problems.push({ field: 'recovery.minutes', reason: '到期提醒在数据续期或删除后的下一次巡检即解除，只能为 0 或不填' });
      break;
    case 'silence':
      minutes = num(r, 'minutes', problems, { prefix: 'recovery', min: 1, max: MAX_MINUTES, int: true });
      break;
    case 'reading':
      minutes = num(r, 'minutes', problems, { prefix: 'recovery', min: 0, max: MAX_MINUTES, int: true });
      break;
    default: {
      const never: never = mode;
      throw invalid('kind', `未知的恢复方式 ${String(never)}`);
    }
  }
  let value: number | undefined;
  if (kind === 'threshold' || kind === 'duration') {
    value = num(r, 'value', problems, { prefix: 'recovery', optional: true });
    if (value !== undefined && params && (params.kind === 'threshold' || params.kind === 'duration')) {
      const above = params.op === 'gt' || params.op === 'gte';
      if (above && value > params.value) problems.push({ field: 'recovery.value', reason: `须不高于告警值 ${params.value}（高于告警值告警，低于恢复值解除）` });
      if (!above && value < params.value) problems.push({ field: 'recovery.value', reason: `须不低于告警值 ${params.value}（低于告警值告警，高于恢复值解除）` });
    }
  } else if (r.value !== undefined && r.value !== null) {
    problems.push({ field: 'recovery.value', reason: '只有阈值、持续时长模型可设恢复值' });
  }
  return minutes === undefined ? null : { minutes, ...(value !== undefined ? { value } : {}) };
}

/** Whether a model watches an observation (source type and scope). */
export function modelWatches(model: ModelSpec, o: Observation): boolean {
  const s = model.scope;
  if (o.type === 'reading') {
    if (model.sourceType !== 'sensor') return false;
    if (s.metric && s.metric !== o.metric) return false;
    if (s.sensorKind && s.sensorKind !== o.sensorKind) return false;
    if (s.sensorIds?.length && !s.sensorIds.includes(o.sensorId)) return false;
    return true;
  }
  if (model.sourceType !== o.sourceType) return false;
  return !s.eventKind || s.eventKind === o.kind;
}

function compare(op: Comparison, v: number, x: number): boolean {
  switch (op) {
    case 'gt':
      return v > x;
    case 'gte':
      return v >= x;
    case 'lt':
      return v < x;
    case 'lte':
      return v <= x;
    default: {
      const never: never = op;
      return never;
    }
  }
}

const valueOf = (o: Observation): number | null => (o.type === 'reading' ? o.value : (o.confidence ?? null));
const describe = (o: Observation) => (o.type === 'reading' ? `${o.metric}=${o.value}` : `${o.kind}`);

/**
 * Evaluate one model over the observations of one source (any order; taken by time), from its last state.
 * Returns the new state (null: the kind keeps none), the firings, and the recoveries (the model's `recovery`
 * held: threshold, duration and geofence watch the readings; other kinds recover by a sweep). A recovery comes
 * once per episode: after it, the next one needs a firing first.
 * @example evaluateRule(model, undefined, [{ type: 'reading', value: 95, … }]) // → { state: null, firings: [{ … }], recoveries: [] }
 */
export function evaluateRule(model: CompiledModel, prior: RuleState | undefined, observations: Observation[]): { state: RuleState | null; firings: Firing[]; recoveries: Recovery[] } {
  const p = model.params;
  const obs = observations.filter((o) => modelWatches(model, o)).sort((a, b) => a.ts.getTime() - b.ts.getTime());
  const firings: Firing[] = [];
  const recoveries: Recovery[] = [];
  const watch = model.recovery && recoveryModes[p.kind] === 'reading' ? model.recovery : null;
  if (p.kind === 'threshold' && !watch) {
    for (const o of obs) {
      if (o.type === 'reading' && compare(p.op, o.value, p.value)) firings.push(thresholdFiring(p, o));
    }
    return { state: null, firings, recoveries };
  }
  if (p.kind === 'event') {
    for (const o of obs) {
      if (o.type !== 'event') continue;
      if (p.minConfidence !== undefined && (o.confidence ?? 0) < p.minConfidence) continue;
      firings.push({ at: o.ts, value: o.confidence ?? null, message: `${o.kind}${o.confidence != null ? `（置信度 ${o.confidence}）` : ''}`, detail: { eventKind: o.kind } });
    }
    return { state: null, firings, recoveries };
  }
  if (p.kind === 'expiry') return { state: prior ?? null, firings, recoveries };
  const state: RuleState = structuredClone(prior ?? {});
  for (const o of obs) {
    const t = o.ts.getTime();
    if (state.lastTs !== undefined && t <= state.lastTs) continue; // late or duplicate: stored, not re-judged
    state.lastTs = t;
    const before = firings.length;
    /** Which side of the rule this observation is on, for the recovery; null: it says nothing (no position). */
    let side: 'alarming' | 'normal' | 'between' | null = null;
    switch (p.kind) {
      case 'threshold': {
        if (o.type !== 'reading') break;
        if (compare(p.op, o.value, p.value)) firings.push(thresholdFiring(p, o));
        side = sideOf(p, watch, o.value);
        break;
      }
      case 'duration': {
        const v = valueOf(o);
        if (v === null || !compare(p.op, v, p.value)) {
          state.since = null;
          if (v !== null) side = sideOf(p, watch, v);
          break;
        }
        side = 'alarming';
        state.since ??= t;
        if (t - state.since >= p.minutes * MINUTE) {
          firings.push({ at: o.ts, value: v, message: `${describe(o)} 持续 ${Math.round((t - state.since) / MINUTE)} 分钟 ${comparisonSigns[p.op]} ${p.value}`, detail: { since: new Date(state.since).toISOString(), minutes: p.minutes, threshold: p.value, op: p.op } });
        }
        break;
      }
      case 'repeat': {
        const v = valueOf(o);
        const holds = p.op === undefined || p.value === undefined ? true : v !== null && compare(p.op, v, p.value);
        const hits = (state.hits ?? []).filter((h) => h > t - p.minutes * MINUTE);
        if (holds) hits.push(t);
        state.hits = hits.slice(-p.times);
        if (holds && hits.length >= p.times) {
          firings.push({ at: o.ts, value: v, message: `${p.minutes} 分钟内 ${hits.length} 次${p.op ? `${comparisonSigns[p.op]} ${p.value}` : ''}`, detail: { times: p.times, minutes: p.minutes, first: new Date(hits[0] ?? t).toISOString() } });
        }
        break;
      }
      case 'rate': {
        const v = valueOf(o);
        if (v === null) break;
        const samples = (state.samples ?? []).filter(([ts]) => ts >= t - p.minutes * MINUTE);
        let fired = false;
        for (const [ts0, v0] of samples) {
          const change = v - v0;
          const hit = p.direction === 'up' ? change >= p.amount : p.direction === 'down' ? -change >= p.amount : Math.abs(change) >= p.amount;
          if (hit) {
            firings.push({ at: o.ts, value: v, message: `${Math.round((t - ts0) / MINUTE)} 分钟内由 ${v0} 变为 ${v}`, detail: { from: v0, fromAt: new Date(ts0).toISOString(), change, amount: p.amount, minutes: p.minutes } });
            fired = true;
            break;
          }
        }
        samples.push([t, v]);
        // Keep the window bounded: the extremes are what a rate test needs, so drop middle samples when full.
        state.samples = samples.length > MAX_SAMPLES ? thin(samples) : samples;
        if (fired) state.samples = [[t, v]];
        break;
      }
      case 'geofence': {
        if (o.type !== 'reading' || o.lng == null || o.lat == null || !model.fence?.length) break;
        const lng = o.lng;
        const lat = o.lat;
        const inside = model.fence.some((g) => pointInPolygon(lng, lat, g));
        const was = state.inside ?? null;
        state.inside = inside;
        const alarming = p.mode === 'enter' ? inside : !inside;
        side = alarming ? 'alarming' : 'normal';
        // Fire on crossing into the alarming side (and on the first position when it is already there).
        if (alarming && (was === null || was !== inside)) {
          firings.push({ at: o.ts, value: null, message: p.mode === 'enter' ? '进入电子围栏' : '离开电子围栏', detail: { lng, lat, mode: p.mode } });
        }
        break;
      }
      default: {
        const never: never = p;
        return never;
      }
    }
    if (!watch) continue;
    if (firings.length > before) {
      state.armed = true;
      state.normalSince = null;
    } else if (side === 'normal') {
      state.normalSince ??= t;
      if (state.armed !== false && t - state.normalSince >= watch.minutes * MINUTE) {
        recoveries.push(readingRecovery(p, watch, o, state.normalSince));
        state.armed = false;
      }
    } else if (side !== null) {
      state.normalSince = null;
    }
  }
  return { state, firings, recoveries };
}

function thresholdFiring(p: { op: Comparison; value: number }, o: Observation & { type: 'reading' }): Firing {
  return { at: o.ts, value: o.value, message: `${o.metric} ${o.value} ${comparisonSigns[p.op]} ${p.value}`, detail: { metric: o.metric, threshold: p.value, op: p.op } };
}

const raises = (op: Comparison) => op === 'gt' || op === 'gte';
const negated: Record<Comparison, string> = { gt: '≤', gte: '<', lt: '≥', lte: '>' };

/** A value's side of a threshold rule: past the recovery value (or, without one, not meeting the rule) is normal. */
function sideOf(p: { op: Comparison; value: number }, recovery: RecoveryParams | null, v: number): 'alarming' | 'normal' | 'between' {
  if (compare(p.op, v, p.value)) return 'alarming';
  if (recovery?.value === undefined) return 'normal';
  return (raises(p.op) ? v < recovery.value : v > recovery.value) ? 'normal' : 'between';
}

function readingRecovery(p: RuleParams, recovery: RecoveryParams, o: Observation, since: number): Recovery {
  const held = Math.round((o.ts.getTime() - since) / MINUTE);
  const lasting = recovery.minutes > 0 ? `，持续 ${held} 分钟` : '';
  const detail = { since: new Date(since).toISOString(), minutes: recovery.minutes };
  if (p.kind === 'geofence') {
    const lng = o.type === 'reading' ? (o.lng ?? null) : null;
    const lat = o.type === 'reading' ? (o.lat ?? null) : null;
    return { at: o.ts, value: null, message: `${p.mode === 'enter' ? '已离开电子围栏' : '已回到电子围栏内'}${lasting}`, detail: { ...detail, mode: p.mode, lng, lat } };
  }
  const v = valueOf(o);
  const op = p.kind === 'threshold' || p.kind === 'duration' ? p.op : 'gt';
  const bound = recovery.value ?? (p.kind === 'threshold' || p.kind === 'duration' ? p.value : 0);
  const sign = recovery.value !== undefined ? (raises(op) ? '<' : '>') : negated[op];
  const metric = o.type === 'reading' ? o.metric : o.kind;
  return { at: o.ts, value: v, message: `${metric} ${raises(op) ? '回落' : '回升'}至 ${v}（${sign} ${bound}）${lasting}`, detail: { ...detail, metric, value: v, bound } };
}

/**
 * The silence recovery of a repeat, rate or event model's alarm: no firing for the model's minutes since the
 * alarm was last seen. Checked by a sweep (no reading comes to say the trouble stopped).
 * @example silenceRecovery({ minutes: 30 }, lastSeenAt, now) // → Recovery | null
 */
export function silenceRecovery(recovery: RecoveryParams, lastSeenAt: Date, now: Date): Recovery | null {
  const quiet = now.getTime() - lastSeenAt.getTime();
  if (recovery.minutes < 1 || quiet < recovery.minutes * MINUTE) return null;
  return { at: now, value: null, message: `已 ${Math.floor(quiet / MINUTE)} 分钟未再触发（解除条件：${recovery.minutes} 分钟无触发）`, detail: { lastSeenAt: lastSeenAt.toISOString(), minutes: recovery.minutes } };
}

/**
 * The recovery of an expiry alarm: its row renewed past the model's window, its expiry removed, or the row gone.
 * @example expiryRecovery({ withinDays: 30 }, { expiresAt: inAYear, subject: '张三', holder: '老王烧烤' }, now) // → Recovery
 */
export function expiryRecovery(p: { withinDays: number }, row: { expiresAt: Date | null; subject: string; holder: string | null } | null, now: Date): Recovery | null {
  if (!row) return { at: now, value: null, message: '外部数据已删除', detail: { removed: true } };
  if (expiryFiring(p, row, now)) return null;
  const who = `${row.holder ? `${row.holder} ` : ''}${row.subject}`;
  if (!row.expiresAt) return { at: now, value: null, message: `${who} 已无到期日`, detail: { expiresAt: null } };
  const day = row.expiresAt.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  return { at: now, value: null, message: `${who} 已续期至 ${day}（超出 ${p.withinDays} 天提醒期）`, detail: { expiresAt: row.expiresAt.toISOString(), withinDays: p.withinDays } };
}

/** Whether the model keeps per-source state (so the caller locks and stores it). */
export function keepsState(model: ModelSpec): boolean {
  if (model.kind === 'event' || model.kind === 'expiry') return false;
  return model.kind !== 'threshold' || !!model.recovery;
}

/** Halve a sample window, keeping the first, the last and each pair's extreme. */
function thin(samples: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < samples.length; i += 2) {
    const a = samples[i] as [number, number];
    const b = samples[i + 1];
    out.push(b && Math.abs(b[1]) > Math.abs(a[1]) ? b : a);
  }
  const last = samples[samples.length - 1];
  if (last && out[out.length - 1] !== last) out.push(last);
  return out;
}

/**
 * The expiry condition for one external row: expired or expiring within the model's days.
 * @example expiryFiring({ withinDays: 30 }, { expiresAt, subject: '张三' }, now) // → Firing | null
 */
export function expiryFiring(p: { withinDays: number }, row: { expiresAt: Date | null; subject: string; holder: string | null }, now: Date): Firing | null {
  if (!row.expiresAt) return null;
  const days = Math.floor((row.expiresAt.getTime() - now.getTime()) / (24 * 3600_000));
  if (row.expiresAt.getTime() > now.getTime() + p.withinDays * 24 * 3600_000) return null;
  const expired = row.expiresAt.getTime() <= now.getTime();
  return {
    at: now,
    value: days,
    message: `${row.holder ? `${row.holder} ` : ''}${row.subject} ${expired ? '已过期' : `将于 ${days} 天内到期`}`,
    detail: { expiresAt: row.expiresAt.toISOString(), expired, daysLeft: days, withinDays: p.withinDays },
  };
}

/** Narrow a stored string to a Severity. */
export function isSeverity(v: string): v is Severity {
  return (severities as readonly string[]).includes(v);
}
