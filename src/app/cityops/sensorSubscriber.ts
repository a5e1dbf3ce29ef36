/**
 * The MQTT subscriber of sensor readings: topic `jiesu/sensors/{sensorId}`, payload `{ ts, metric, value, lng?, lat? }`
 * (or an array of them), QoS 1 on a persistent session under a fixed client id.
 *
 * The MQTT client runs on a worker thread (`sensorIngestWorker.ts`): connection, packet parsing, payload checks and
 * batching stay off this thread, which only writes each batch with `ingestReadings` (on PGlite the database runs in
 * this thread). Batches adapt to the database: one is written at a time, what arrives meanwhile makes the next one,
 * and in a steady stream batches start at most every `maxWaitMs` (100 ms). The PUBACK of every message in a batch is sent only after the batch commits, so a server that stops or
 * crashes loses nothing: the broker redelivers what was not acknowledged, and the readings' primary key drops what
 * had been stored already.
 */
import { Worker } from 'node:worker_threads';
import type { Db } from '../../store/db.js';
import { ingestReadings, type IngestResult } from './ingestReadings.js';
import type { FromWorker, IngestWorkerData, ToWorker } from './sensorIngestWorker.js';
import type { ReadingBatch } from './sensorMessage.js';

export const SENSOR_TOPIC = 'jiesu/sensors/+';

export type SubscriberOptions = {
  db: Db;
  url: string;
  clientId: string;
  /**
   * MQTT 5 shared subscription group: servers subscribing with the same group split the stream
   * (`$share/{group}/jiesu/sensors/+`) instead of each receiving all of it. Null or absent: a plain subscription.
   */
  shareGroup?: string | null;
  now?: () => Date;
  /** A batch holds about this many readings at most (more arrive while one is written: they wait for the next)… */
  maxBatch?: number;
  /**
   * …and batches start at most this often (ms) unless full: a reading after a quiet spell goes at once, while a
   * steady stream is written in fewer, larger batches (much cheaper per reading on PGlite).
   */
  maxWaitMs?: number;
  /** Unacknowledged messages the broker may send ahead (MQTT 5 receive maximum). */
  receiveMaximum?: number;
  /** After each committed batch (alarms raised, counts), e.g. to dispatch orders of auto-dispatch models. */
  onBatch?: (result: IngestResult, committedAt: Date) => void | Promise<void>;
  log?: (msg: string, err?: unknown) => void;
};

/** `messages` and `rejected` are counted on the worker thread and arrive with each batch (or within 10 ms). */
export type SubscriberStats = { messages: number; readings: number; stored: number; duplicates: number; rejected: number; unknown: number; batches: number; failedBatches: number };

export class SensorSubscriber {
  readonly stats: SubscriberStats = { messages: 0, readings: 0, stored: 0, duplicates: 0, rejected: 0, unknown: 0, batches: 0, failedBatches: 0 };
  private worker: Worker | null = null;
  /** Batches are written one after another, each after the previous one's follow-up. */
  private writing: Promise<void> = Promise.resolve();
  private drains = new Map<number, () => void>();
  private nextToken = 1;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private starting: { resolve: () => void; reject: (err: unknown) => void } | null = null;
  /** The counts of earlier workers (a restarted worker counts from zero). */
  private base = { messages: 0, rejected: 0 };
  private readonly now: () => Date;
  private readonly log: (msg: string, err?: unknown) => void;

  constructor(private readonly opts: SubscriberOptions) {
    this.now = opts.now ?? (() => new Date());
    this.log = opts.log ?? (() => undefined);
  }

  /** Start the worker: connect, subscribe with QoS 1 and resume the persistent session (queued readings arrive first). */
  async start(): Promise<void> {
    this.stopping = false;
    this.base = { messages: this.stats.messages, rejected: this.stats.rejected };
    const data: IngestWorkerData = {
      url: this.opts.url,
      clientId: this.opts.clientId,
      shareGroup: this.opts.shareGroup ?? null,
      maxBatch: this.opts.maxBatch ?? 5000,
      maxWaitMs: this.opts.maxWaitMs ?? 100,
      receiveMaximum: this.opts.receiveMaximum ?? 20_000,
    };
    const worker = startWorker(new URL(`./sensorIngestWorker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url), data);
    this.worker = worker;
    const ready = new Promise<void>((resolve, reject) => (this.starting = { resolve, reject }));
    // Listen from the first moment: a resumed session delivers readings before the subscription is confirmed.
    worker.on('message', (m: FromWorker) => this.onWorker(worker, m));
    worker.on('error', (err) => (this.starting ? this.starting.reject(err) : this.log('MQTT 接入线程出错', err)));
    worker.on('exit', (code) => (this.starting ? this.starting.reject(new Error(`MQTT 接入线程已退出（${code}）`)) : this.onExit(worker)));
    try {
      await ready;
    } catch (err) {
      this.worker = null;
      await worker.terminate();
      throw err;
    } finally {
      this.starting = null;
    }
  }

  private onWorker(worker: Worker, m: FromWorker): void {
    switch (m.type) {
      case 'ready':
        this.starting?.resolve();
        break;
      case 'failed':
        this.starting?.reject(new Error(m.error));
        break;
      case 'batch':
        this.stats.messages = this.base.messages + m.received;
        this.stats.rejected = this.base.rejected + m.rejected;
        this.writing = this.writing.then(() => this.write(worker, m.id, m.batch));
        break;
      case 'stats':
        this.stats.messages = this.base.messages + m.received;
        this.stats.rejected = this.base.rejected + m.rejected;
        break;
      case 'log':
        this.log(m.msg, m.err);
        break;
      case 'drained':
        this.drains.get(m.token)?.();
        this.drains.delete(m.token);
        break;
      case 'stopped':
        break;
    }
  }

  private async write(worker: Worker, id: number, batch: ReadingBatch): Promise<void> {
    // A batch of a worker that is gone (crashed, or stopped abruptly) is left to the broker's redelivery.
    if (worker !== this.worker) return;
    let result: IngestResult;
    try {
      result = await ingestReadings({ db: this.opts.db, readings: batch, now: this.now() });
    } catch (err) {
      // Not committed, not acknowledged: the worker reconnects and the broker sends the batch again.
      this.stats.failedBatches++;
      this.log('传感器读数写入失败，将由代理重新投递', err);
      this.post(worker, { type: 'done', id, ok: false });
      return;
    }
    const committedAt = new Date();
    this.post(worker, { type: 'done', id, ok: true });
    this.stats.batches++;
    this.stats.readings += result.received;
    this.stats.stored += result.stored;
    this.stats.duplicates += result.duplicates;
    this.stats.unknown += result.received - result.stored - result.duplicates;
    if (this.opts.onBatch) await Promise.resolve(this.opts.onBatch(result, committedAt)).catch((err: unknown) => this.log('告警后续处理失败', err));
  }

  /** To the worker that sent the batch, if it is still the one running (a crashed one cannot acknowledge). */
  private post(worker: Worker, m: ToWorker): void {
    if (worker === this.worker) worker.postMessage(m);
  }

  private onExit(worker: Worker): void {
    if (worker !== this.worker || this.stopping) return;
    // The worker died (a bug, out of memory): whatever it held is unacknowledged, so the broker resends it.
    this.worker = null;
    this.log('MQTT 接入线程意外退出，1 秒后重启');
    for (const done of this.drains.values()) done();
    this.drains.clear();
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.stopping) this.start().catch((err: unknown) => this.log('MQTT 接入重启失败', err));
    }, 1000);
  }

  /** Wait until everything received so far is written and acknowledged. */
  async drain(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const token = this.nextToken++;
    await new Promise<void>((resolve) => {
      this.drains.set(token, resolve);
      worker.postMessage({ type: 'drain', token } satisfies ToWorker);
    });
    await this.writing;
  }

  /**
   * Stop. Graceful: write and acknowledge what arrived, then disconnect (the session stays on the broker).
   * `abrupt`: end the worker at once, as a crash would; the broker redelivers what was not acknowledged.
   */
  async stop(opts: { abrupt?: boolean } = {}): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const worker = this.worker;
    if (!worker) return;
    if (!opts.abrupt) {
      await new Promise<void>((resolve) => {
        worker.on('message', (m: FromWorker) => {
          if (m.type === 'stopped') resolve();
        });
        worker.once('exit', () => resolve());
        worker.postMessage({ type: 'stop' } satisfies ToWorker);
      });
    }
    this.worker = null;
    await worker.terminate();
    for (const done of this.drains.values()) done();
    this.drains.clear();
    await this.writing.catch(() => undefined);
  }
}

/**
 * A worker thread running a TypeScript module. Node 20 does not pass `--import tsx` on to worker threads, so the
 * worker first registers tsx's loader itself (the server, tests and benches all run under tsx); a `.js` module
 * starts directly.
 */
function startWorker(url: URL, workerData: unknown): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData });
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}
