/**
 * Sensor readings as they arrive: topic `jiesu/sensors/{sensorId}`, payload `{ ts, metric, value, lng?, lat? }` or an
 * array of them, checked here with the reason in Chinese; and `ReadingBatch`, the compact column form in which the
 * MQTT worker hands readings to the database thread (one typed array per number column, each sensor id and metric
 * once per batch), built by `ReadingBatchBuilder`. No database and no MQTT here: the worker thread loads this file.
 */
import type { ReadingInput } from './ingestReadings.js';

const TOPIC_RE = /^jiesu\/sensors\/([A-Za-z0-9_.:-]{1,64})$/;
const METRIC_RE = /^[A-Za-z0-9_.-]{1,40}$/;
/** Instants PostgreSQL stores (years 1–9999): a reading outside would fail its whole batch at every redelivery. */
const MIN_TS = new Date('0001-01-01T00:00:00Z').getTime();
const MAX_TS = new Date('9999-12-31T23:59:59.999Z').getTime();

export const MAX_READINGS_PER_MESSAGE = 1000;

/** One reading's fields once checked; `ts` in epoch milliseconds. */
export type CheckedReading = { metric: string; value: number; ts: number; lng: number | null; lat: number | null };

/** The sensor id a topic names, or null when the topic is not `jiesu/sensors/{sensorId}`. */
export function sensorIdOfTopic(topic: string): string | null {
  return TOPIC_RE.exec(topic)?.[1] ?? null;
}

/** Milliseconds of `ts` (epoch ms or an ISO instant) as `new Date(ts)` reads them, or NaN. */
function instantOf(ts: unknown): number {
  if (typeof ts === 'number') return new Date(ts).getTime();
  if (typeof ts === 'string') return Date.parse(ts);
  return NaN;
}

/**
 * One reading `{ ts, metric, value, lng?, lat? }`, checked: its fields, or a Chinese reason.
 * @example checkReading({ ts: '2026-09-29T08:00:00Z', metric: 'level', value: 1.2 }) // → { metric: 'level', value: 1.2, ts: 1790668800000, lng: null, lat: null }
 */
export function checkReading(it: unknown): CheckedReading | { error: string } {
  if (!it || typeof it !== 'object') return { error: '读数必须是对象 { ts, metric, value }' };
  const { ts, metric, value, lng, lat } = it as Record<string, unknown>;
  const ms = instantOf(ts);
  if (!(ms >= MIN_TS && ms <= MAX_TS)) return { error: 'ts：必须是 ISO 时间或毫秒时间戳' };
  if (typeof metric !== 'string' || !METRIC_RE.test(metric)) return { error: 'metric：必须是 1–40 位字母、数字或 _ . -' };
  if (typeof value !== 'number' || !Number.isFinite(value)) return { error: 'value：必须是数字' };
  const coord = (v: unknown, min: number, max: number) => v === undefined || v === null || (typeof v === 'number' && v >= min && v <= max);
  if (!coord(lng, -180, 180) || !coord(lat, -90, 90) || (lng == null) !== (lat == null)) return { error: 'lng/lat：须同时给出且在经纬度范围内' };
  return { metric, value, ts: ms, lng: (lng as number | undefined) ?? null, lat: (lat as number | undefined) ?? null };
}

/** One reading `{ ts, metric, value, lng?, lat? }` of a sensor, checked. Shared by MQTT and HTTP. */
export function parseReading(sensorId: string, it: unknown): { reading: ReadingInput } | { error: string } {
  const r = checkReading(it);
  if ('error' in r) return r;
  return { reading: { sensorId, metric: r.metric, value: r.value, ts: new Date(r.ts), lng: r.lng, lat: r.lat } };
}

/** The items of a message's JSON payload (one reading or an array of 1–1000), or a Chinese reason. */
function itemsOf(payload: string): unknown[] | { error: string } {
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return { error: '消息不是有效的 JSON' };
  }
  const items = Array.isArray(body) ? (body as unknown[]) : [body];
  if (items.length === 0 || items.length > MAX_READINGS_PER_MESSAGE) return { error: '一条消息应含 1–1000 个读数' };
  return items;
}

/**
 * Readings in columns: reading `i` is sensor `sensors[sensor[i] - 1]`, metric `metrics[metric[i] - 1]` (1-based,
 * as SQL's `WITH ORDINALITY` counts), at `ts[i]` epoch ms, with `value[i]` and `lng[i]`/`lat[i]` (NaN: none).
 * Its arrays' buffers can be transferred between threads without a copy.
 */
export type ReadingBatch = {
  n: number;
  sensors: string[];
  metrics: string[];
  sensor: Uint32Array;
  metric: Uint32Array;
  ts: Float64Array;
  value: Float64Array;
  lng: Float64Array;
  lat: Float64Array;
};

/** The buffers of a batch, for `postMessage(batch, transferList(batch))`. */
export function transferList(b: ReadingBatch): ArrayBuffer[] {
  return [b.sensor.buffer, b.metric.buffer, b.ts.buffer, b.value.buffer, b.lng.buffer, b.lat.buffer] as ArrayBuffer[];
}

/** Reading `i` of a batch as an object (what the rules judge). */
export function readingAt(b: ReadingBatch, i: number): ReadingInput {
  const lng = b.lng[i] as number;
  const lat = b.lat[i] as number;
  return {
    sensorId: b.sensors[(b.sensor[i] as number) - 1] as string,
    metric: b.metrics[(b.metric[i] as number) - 1] as string,
    ts: new Date(b.ts[i] as number),
    value: b.value[i] as number,
    lng: Number.isNaN(lng) ? null : lng,
    lat: Number.isNaN(lat) ? null : lat,
  };
}

/**
 * Gathers readings into a `ReadingBatch`, growing its columns as needed.
 * @example const b = new ReadingBatchBuilder(); b.add('WL-001', { metric: 'level', value: 1.2, ts: Date.now(), lng: null, lat: null }); b.build()
 */
export class ReadingBatchBuilder {
  n = 0;
  private sensorIds = new Map<string, number>();
  private metricIds = new Map<string, number>();
  private sensor: Uint32Array;
  private metric: Uint32Array;
  private ts: Float64Array;
  private value: Float64Array;
  private lng: Float64Array;
  private lat: Float64Array;

  constructor(capacity = 256) {
    this.sensor = new Uint32Array(capacity);
    this.metric = new Uint32Array(capacity);
    this.ts = new Float64Array(capacity);
    this.value = new Float64Array(capacity);
    this.lng = new Float64Array(capacity);
    this.lat = new Float64Array(capacity);
  }

  add(sensorId: string, r: CheckedReading): void {
    if (this.n === this.ts.length) this.grow();
    let s = this.sensorIds.get(sensorId);
    if (s === undefined) this.sensorIds.set(sensorId, (s = this.sensorIds.size + 1));
    let m = this.metricIds.get(r.metric);
    if (m === undefined) this.metricIds.set(r.metric, (m = this.metricIds.size + 1));
    const i = this.n++;
    this.sensor[i] = s;
    this.metric[i] = m;
    this.ts[i] = r.ts;
    this.value[i] = r.value;
    this.lng[i] = r.lng ?? NaN;
    this.lat[i] = r.lat ?? NaN;
  }

  /** The batch so far (its arrays cut to length); the builder is left empty. */
  build(): ReadingBatch {
    const n = this.n;
    const b: ReadingBatch = {
      n,
      sensors: [...this.sensorIds.keys()],
      metrics: [...this.metricIds.keys()],
      sensor: this.sensor.slice(0, n),
      metric: this.metric.slice(0, n),
      ts: this.ts.slice(0, n),
      value: this.value.slice(0, n),
      lng: this.lng.slice(0, n),
      lat: this.lat.slice(0, n),
    };
    this.n = 0;
    this.sensorIds = new Map();
    this.metricIds = new Map();
    return b;
  }

  private grow(): void {
    const cap = this.ts.length * 2;
    const more = <T extends Uint32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.sensor = more(this.sensor);
    this.metric = more(this.metric);
    this.ts = more(this.ts);
    this.value = more(this.value);
    this.lng = more(this.lng);
    this.lat = more(this.lat);
  }
}

/** Readings as a batch (the HTTP path and tests hand `ingestReadings` objects). */
export function batchOfReadings(readings: ReadingInput[]): ReadingBatch {
  const b = new ReadingBatchBuilder(Math.max(1, readings.length));
  for (const r of readings) b.add(r.sensorId, { metric: r.metric, value: r.value, ts: r.ts.getTime(), lng: r.lng ?? null, lat: r.lat ?? null });
  return b.build();
}

/**
 * Add every reading of one MQTT message to `into`, or refuse the whole message with a Chinese reason (nothing added).
 * Returns how many readings it carried.
 */
export function addSensorMessage(into: ReadingBatchBuilder, topic: string, payload: string): number | { error: string } {
  const sensorId = sensorIdOfTopic(topic);
  if (sensorId === null) return { error: `主题不符合 jiesu/sensors/{sensorId}：${topic}` };
  const items = itemsOf(payload);
  if ('error' in items) return items;
  const checked: CheckedReading[] = [];
  for (const it of items) {
    const r = checkReading(it);
    if ('error' in r) return r;
    checked.push(r);
  }
  for (const r of checked) into.add(sensorId, r);
  return checked.length;
}
