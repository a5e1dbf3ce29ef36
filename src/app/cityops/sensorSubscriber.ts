/**
 * The MQTT subscriber of sensor readings: topic `jiesu/sensors/{sensorId}`, payload `{ ts, metric, value, lng?, lat? }`
 * (or an array of them), QoS 1 on a persistent session under a fixed client id. Readings are gathered into
 * batches and written by `ingestReadings`; the PUBACK of every message in a batch is sent only after the batch
 * commits, so a server that stops or crashes loses nothing: the broker redelivers what was not acknowledged, and
 * the readings' primary key drops what had been stored already.
 */
import mqtt, { type MqttClient, type IClientOptions } from 'mqtt';
import type { Db } from '../../store/db.js';
import { ingestReadings, type IngestResult, type ReadingInput } from './ingestReadings.js';

export const SENSOR_TOPIC = 'jiesu/sensors/+';
const TOPIC_RE = /^jiesu\/sensors\/([A-Za-z0-9_.:-]{1,64})$/;

export type SubscriberOptions = {
  db: Db;
  url: string;
  clientId: string;
  now?: () => Date;
  /** Write a batch when it holds this many readings… */
  maxBatch?: number;
  /** …or when its first reading has waited this long (ms). */
  maxWaitMs?: number;
  /** Unacknowledged messages the broker may send ahead (MQTT 5 receive maximum). */
  receiveMaximum?: number;
  /** After each committed batch (alarms raised, counts), e.g. to dispatch orders of auto-dispatch models. */
  onBatch?: (result: IngestResult, committedAt: Date) => void | Promise<void>;
  log?: (msg: string, err?: unknown) => void;
};

export type SubscriberStats = { messages: number; readings: number; stored: number; duplicates: number; rejected: number; unknown: number; batches: number; failedBatches: number };

/** A held PUBACK, with how many readings its message carried (so a batch cut keeps acks with their readings). */
type Held = { ack: () => void; generation: number; readings: number };

/**
 * Parse one message into readings, or a Chinese reason. `ts` is an ISO instant or epoch milliseconds.
 * @example parseSensorMessage('jiesu/sensors/WL-001', '{"ts":"2026-09-29T08:00:00Z","metric":"level","value":1.2}')
 */
export function parseSensorMessage(topic: string, payload: string): { readings: ReadingInput[] } | { error: string } {
  const m = TOPIC_RE.exec(topic);
  if (!m) return { error: `主题不符合 jiesu/sensors/{sensorId}：${topic}` };
  const sensorId = m[1] as string;
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return { error: '消息不是有效的 JSON' };
  }
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0 || items.length > 1000) return { error: '一条消息应含 1–1000 个读数' };
  const readings: ReadingInput[] = [];
  for (const it of items) {
    const r = parseReading(sensorId, it);
    if ('error' in r) return r;
    readings.push(r.reading);
  }
  return { readings };
}

/** One reading `{ ts, metric, value, lng?, lat? }` of a sensor, checked. Shared by MQTT and HTTP. */
export function parseReading(sensorId: string, it: unknown): { reading: ReadingInput } | { error: string } {
  if (!it || typeof it !== 'object') return { error: '读数必须是对象 { ts, metric, value }' };
  const { ts, metric, value, lng, lat } = it as Record<string, unknown>;
  const at = typeof ts === 'number' ? new Date(ts) : typeof ts === 'string' ? new Date(ts) : null;
  if (!at || Number.isNaN(at.getTime())) return { error: 'ts：必须是 ISO 时间或毫秒时间戳' };
  if (typeof metric !== 'string' || !/^[A-Za-z0-9_.-]{1,40}$/.test(metric)) return { error: 'metric：必须是 1–40 位字母、数字或 _ . -' };
  if (typeof value !== 'number' || !Number.isFinite(value)) return { error: 'value：必须是数字' };
  const coord = (v: unknown, min: number, max: number) => v === undefined || v === null || (typeof v === 'number' && v >= min && v <= max);
  if (!coord(lng, -180, 180) || !coord(lat, -90, 90) || (lng == null) !== (lat == null)) return { error: 'lng/lat：须同时给出且在经纬度范围内' };
  return { reading: { sensorId, metric, value, ts: at, lng: (lng as number | undefined) ?? null, lat: (lat as number | undefined) ?? null } };
}

export class SensorSubscriber {
  readonly stats: SubscriberStats = { messages: 0, readings: 0, stored: 0, duplicates: 0, rejected: 0, unknown: 0, batches: 0, failedBatches: 0 };
  private client: MqttClient | null = null;
  private pending: { readings: ReadingInput[]; held: Held[] } = { readings: [], held: [] };
  private firstAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private generation = 0;
  private stopped = false;
  /** Readings of the message being handled (its PUBACK is held right after the message event). */
  private lastReadings = 0;
  private readonly now: () => Date;
  private readonly maxBatch: number;
  private readonly maxWaitMs: number;
  private readonly log: (msg: string, err?: unknown) => void;

  constructor(private readonly opts: SubscriberOptions) {
    this.now = opts.now ?? (() => new Date());
    this.maxBatch = opts.maxBatch ?? 5000;
    this.maxWaitMs = opts.maxWaitMs ?? 20;
    this.log = opts.log ?? (() => undefined);
  }

  /** Connect, subscribe with QoS 1 and resume the persistent session (queued readings arrive first). */
  async start(): Promise<void> {
    this.stopped = false;
    const options: IClientOptions = {
      clientId: this.opts.clientId,
      clean: false,
      protocolVersion: 5,
      // MQTT 5 ends a session at disconnect unless it has an expiry: keep it a week, so a restart resumes it.
      properties: { sessionExpiryInterval: 7 * 24 * 3600, receiveMaximum: this.opts.receiveMaximum ?? 20_000 },
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      manualConnect: true,
    };
    const client = mqtt.connect(this.opts.url, options);
    this.client = client;
    holdPubacks(client, (h) => this.pending.held.push({ ack: h, generation: this.generation, readings: this.lastReadings }));
    client.on('close', () => {
      // PUBACKs of the old connection must never go out on a new one (message ids are per connection).
      this.generation++;
    });
    client.on('message', (topic, payload) => this.onMessage(topic, payload.toString('utf8')));
    client.on('error', (err) => this.log('MQTT 连接错误', err));
    const connected = new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    client.connect();
    await connected;
    await client.subscribeAsync(SENSOR_TOPIC, { qos: 1 });
  }

  private onMessage(topic: string, payload: string): void {
    this.stats.messages++;
    const parsed = parseSensorMessage(topic, payload);
    this.lastReadings = 'error' in parsed ? 0 : parsed.readings.length;
    if ('error' in parsed) {
      // Redelivery cannot fix a malformed message: it is acknowledged with the batch and counted.
      this.stats.rejected++;
      if (this.stats.rejected <= 10 || this.stats.rejected % 1000 === 0) this.log(`丢弃无效传感器消息（${topic}）：${parsed.error}`);
    } else {
      this.pending.readings.push(...parsed.readings);
    }
    if (this.pending.readings.length === 0 && this.pending.held.length === 0) return;
    if (!this.firstAt) this.firstAt = Date.now();
    if (this.pending.readings.length >= this.maxBatch) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.maxWaitMs);
  }

  private kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.flushing) return; // the running flush picks the rest up when it ends
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null;
    });
  }

  private async flushLoop(): Promise<void> {
    // Let the held PUBACKs of this tick join the batch (the ack hook runs right after the message event).
    await new Promise((r) => setImmediate(r));
    while (this.pending.readings.length || this.pending.held.length) {
      // At most maxBatch readings per transaction (bounded latency); acks travel with their readings.
      let batch = this.pending;
      if (batch.readings.length > this.maxBatch) {
        const cut = this.maxBatch;
        let acks = 0;
        let seen = 0;
        while (acks < batch.held.length && seen < cut) seen += batch.held[acks++]?.readings ?? 1;
        batch = { readings: this.pending.readings.slice(0, seen), held: this.pending.held.slice(0, acks) };
        this.pending = { readings: this.pending.readings.slice(seen), held: this.pending.held.slice(acks) };
      } else {
        this.pending = { readings: [], held: [] };
        this.firstAt = 0;
      }
      try {
        const result = await ingestReadings({ db: this.opts.db, readings: batch.readings, now: this.now() });
        const committedAt = new Date();
        this.stats.batches++;
        this.stats.readings += result.received;
        this.stats.stored += result.stored;
        this.stats.duplicates += result.duplicates;
        this.stats.unknown += result.received - result.stored - result.duplicates;
        for (const h of batch.held) if (h.generation === this.generation) h.ack();
        if (this.opts.onBatch) await Promise.resolve(this.opts.onBatch(result, committedAt)).catch((err: unknown) => this.log('告警后续处理失败', err));
      } catch (err) {
        // Not committed, not acknowledged: the broker redelivers after a reconnect. Force one so nothing waits forever.
        this.stats.failedBatches++;
        this.log('传感器读数写入失败，将由代理重新投递', err);
        if (!this.stopped && this.client) {
          this.client.end(true, () => {
            if (!this.stopped) void this.reconnect();
          });
        }
        return;
      }
      if (this.stopped) return;
    }
  }

  private async reconnect(): Promise<void> {
    this.pending = { readings: [], held: [] };
    await new Promise((r) => setTimeout(r, 500));
    if (!this.stopped) await this.start().catch((err: unknown) => this.log('MQTT 重连失败', err));
  }

  /** Wait until everything received so far is written and acknowledged. */
  async drain(): Promise<void> {
    for (;;) {
      if (this.flushing) await this.flushing;
      else if (this.pending.readings.length || this.pending.held.length) this.kick();
      else return;
    }
  }

  /**
   * Stop. Graceful: write and acknowledge what arrived, then disconnect (the session stays on the broker).
   * `abrupt`: drop the connection at once, as a crash would; the broker redelivers what was not acknowledged.
   */
  async stop(opts: { abrupt?: boolean } = {}): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (opts.abrupt) {
      this.stopped = true;
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.generation++;
      this.pending = { readings: [], held: [] };
      await new Promise<void>((r) => client.end(true, () => r()));
      if (this.flushing) await this.flushing.catch(() => undefined);
    } else {
      // The subscription stays: the session queues readings on the broker while we are away.
      await this.drain();
      this.stopped = true;
      await client.endAsync();
    }
    this.client = null;
  }
}

/**
 * mqtt.js sends a QoS 1 PUBACK as soon as its message handler returns, and handles one packet at a time, so a
 * handler that waited for a database commit would make every batch one message long. Instead, every outgoing
 * PUBACK is taken aside here (mqtt.js is told it went out, so it reads on) and sent when its batch commits.
 */
function holdPubacks(client: MqttClient, hold: (send: () => void) => void): void {
  type Send = (packet: { cmd: string }, cb?: (err?: Error) => void, ...rest: unknown[]) => void;
  const target = client as unknown as { _sendPacket: Send };
  const send = target._sendPacket.bind(client);
  target._sendPacket = (packet, cb, ...rest) => {
    if (packet.cmd !== 'puback') return send(packet, cb, ...rest);
    hold(() => send(packet, undefined, ...rest));
    cb?.();
  };
}
