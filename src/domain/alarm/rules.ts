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

export type ModelSpec = { id: string; name: string; kind: RuleKind; sourceType: SourceType; scope: ModelScope; params: RuleParams; severity: Severity };

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
};

/** A model's condition held: raise (or repeat) its alarm for the source. `at` is when the condition came to hold. */
export type Firing = { at: Date; value: number | null; message: string; detail: Record<string, unknown> };

const MINUTE = 60_000;
const MAX_SAMPLES = 512;

function num(p: Record<string, unknown>, field: string, problems: FieldProblem[], opts: { min?: number; max?: number; int?: boolean; optional?: boolean } = {}): number | undefined {
  const v = p[field];
  if (v === undefined || v === null) {
    if (!opts.optional) problems.push({ field: `params.${field}`, reason: '必填' });
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    problems.push({ field: `params.${field}`, reason: '必须是数字' });
    return undefined;
  }
  if (opts.int && !Number.isInteger(v)) problems.push({ field: `params.${field}`, reason: '必须是整数' });
  if (opts.min !== undefined && v < opts.min) problems.push({ field: `params.${field}`, reason: `不能小于 ${opts.min}` });
  if (opts.max !== undefined && v > opts.max) problems.push({ field: `params.${field}`, reason: `不能大于 ${opts.max}` });
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
  const { kind, sourceType, params: p } = input;
  if (!kindsBySource[sourceType].includes(kind)) {
    throw invalid('kind', `${sourceTypeLabels[sourceType]}模型只能是：${kindsBySource[sourceType].map((k) => `${k}（${ruleKindLabels[k]}）`).join('、')}`);
  }
  const problems: FieldProblem[] = [];
  const window = () => num(p, 'minutes', problems, { min: 1, max: 7 * 24 * 60, int: true });
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
  if (problems.length || !out) {
    throw new DomainError('VALIDATION_FAILED', `预警模型参数有误：${problems.map((x) => `${x.field}（${x.reason}）`).join('；')}`, problems);
  }
  return out;
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
 * Returns the new state (null: the kind keeps none) and the firings.
 * @example evaluateRule(model, undefined, [{ type: 'reading', value: 95, … }]) // → { state: null, firings: [{ … }] }
 */
export function evaluateRule(model: CompiledModel, prior: RuleState | undefined, observations: Observation[]): { state: RuleState | null; firings: Firing[] } {
  const p = model.params;
  const obs = observations.filter((o) => modelWatches(model, o)).sort((a, b) => a.ts.getTime() - b.ts.getTime());
  const firings: Firing[] = [];
  if (p.kind === 'threshold') {
    for (const o of obs) {
      if (o.type === 'reading' && compare(p.op, o.value, p.value)) {
        firings.push({ at: o.ts, value: o.value, message: `${o.metric} ${o.value} ${comparisonSigns[p.op]} ${p.value}`, detail: { metric: o.metric, threshold: p.value, op: p.op } });
      }
    }
    return { state: null, firings };
  }
  if (p.kind === 'event') {
    for (const o of obs) {
      if (o.type !== 'event') continue;
      if (p.minConfidence !== undefined && (o.confidence ?? 0) < p.minConfidence) continue;
      firings.push({ at: o.ts, value: o.confidence ?? null, message: `${o.kind}${o.confidence != null ? `（置信度 ${o.confidence}）` : ''}`, detail: { eventKind: o.kind } });
    }
    return { state: null, firings };
  }
  if (p.kind === 'expiry') return { state: prior ?? null, firings };
  const state: RuleState = structuredClone(prior ?? {});
  for (const o of obs) {
    const t = o.ts.getTime();
    if (state.lastTs !== undefined && t <= state.lastTs) continue; // late or duplicate: stored, not re-judged
    state.lastTs = t;
    switch (p.kind) {
      case 'duration': {
        const v = valueOf(o);
        if (v === null || !compare(p.op, v, p.value)) {
          state.since = null;
          break;
        }
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
  }
  return { state, firings };
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
