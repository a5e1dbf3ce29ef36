/**
 * The MQTT side of sensor ingest, on a worker thread of its own (started by `SensorSubscriber`): the connection,
 * packet parsing, payload checks and batching run here, so the server's thread only runs the database work.
 *
 * Readings go to the server's thread in column batches (`ReadingBatch`, buffers transferred, not copied), one batch
 * at a time: while the database is busy the next batch grows. Batches start at most every `maxWaitMs` unless one is
 * full (`maxBatch`): a reading after a quiet spell goes at once, and a steady stream comes in fewer, larger batches —
 * each batch costs the database a fixed amount besides its readings (on PGlite, at 10,000 readings/s, batches every
 * 5 ms kept the server's thread 96 % busy, every 100 ms about 50 %). Every message's PUBACK is held back and sent only
 * when the server's thread reports that the batch holding the message committed; a failed batch is never
 * acknowledged, and the connection is dropped and made again so the broker sends its messages anew.
 */
import { parentPort, workerData } from 'node:worker_threads';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { addSensorMessage, ReadingBatchBuilder, transferList, type ReadingBatch } from './sensorMessage.js';

export const SENSOR_TOPIC = 'jiesu/sensors/+';

/** What the worker is started with. */
export type IngestWorkerData = { url: string; clientId: string; shareGroup: string | null; maxBatch: number; maxWaitMs: number; receiveMaximum: number };

/** From the worker to the server's thread. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; error: string }
  | { type: 'batch'; id: number; batch: ReadingBatch; messages: number; received: number; rejected: number }
  | { type: 'stats'; received: number; rejected: number }
  | { type: 'log'; msg: string; err?: string }
  | { type: 'drained'; token: number }
  | { type: 'stopped' };

/** From the server's thread to the worker. */
export type ToWorker = { type: 'done'; id: number; ok: boolean } | { type: 'drain'; token: number } | { type: 'stop' };

/** A held PUBACK and the connection it belongs to (message ids are per connection). */
type Held = { send: () => void; generation: number };
type Sealed = { batch: ReadingBatch; held: Held[]; messages: number };

class IngestWorker {
  private client: MqttClient | null = null;
  private generation = 0;
  private builder = new ReadingBatchBuilder();
  private held: Held[] = [];
  private messagesInBatch = 0;
  /** When the last batch was handed over (0: never, or a while ago). */
  private handedAt = 0;
  private sealed: Sealed[] = [];
  private inFlight: { id: number; held: Held[] } | null = null;
  private nextId = 1;
  private timer: NodeJS.Timeout | null = null;
  private checkQueued = false;
  /** Waiting until everything received is written and acknowledged. */
  private drains: (() => void)[] = [];
  private stopping = false;
  private received = 0;
  private rejected = 0;
  private reported = { received: 0, rejected: 0 };

  constructor(
    private readonly cfg: IngestWorkerData,
    private readonly post: (m: FromWorker, transfer?: ArrayBuffer[]) => void,
  ) {}

  /** Connect, subscribe with QoS 1 and resume the persistent session (queued readings arrive first). */
  async connect(): Promise<void> {
    const options: IClientOptions = {
      clientId: this.cfg.clientId,
      clean: false,
      protocolVersion: 5,
      // MQTT 5 ends a session at disconnect unless it has an expiry: keep it a week, so a restart resumes it.
      properties: { sessionExpiryInterval: 7 * 24 * 3600, receiveMaximum: this.cfg.receiveMaximum },
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      manualConnect: true,
    };
    const client = mqtt.connect(this.cfg.url, options);
    this.client = client;
    holdPubacks(client, (send) => this.held.push({ send, generation: this.generation }));
    client.on('close', () => {
      // PUBACKs of the old connection must never go out on a new one.
      this.generation++;
    });
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('error', (err) => this.log('MQTT 连接错误', err));
    const connected = new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    client.connect();
    await connected;
    const topic = this.cfg.shareGroup ? `$share/${this.cfg.shareGroup}/${SENSOR_TOPIC}` : SENSOR_TOPIC;
    await client.subscribeAsync(topic, { qos: 1 });
  }

  private onMessage(topic: string, payload: Buffer): void {
    this.received++;
    const r = addSensorMessage(this.builder, topic, payload.toString('utf8'));
    if (typeof r !== 'number') {
      // Redelivery cannot fix a malformed message: it is acknowledged with the batch and counted.
      this.rejected++;
      if (this.rejected <= 10 || this.rejected % 1000 === 0) this.log(`丢弃无效传感器消息（${topic}）：${r.error}（累计 ${this.rejected} 条）`);
    }
    this.messagesInBatch++;
    // The message's PUBACK is held right after this handler returns: look at the batch once it has joined.
    if (!this.checkQueued) {
      this.checkQueued = true;
      queueMicrotask(() => {
        this.checkQueued = false;
        if (this.builder.n >= this.cfg.maxBatch) this.seal();
        this.pump();
      });
    }
  }

  /** Close the batch being gathered (its readings with their held PUBACKs) and queue it. */
  private seal(): void {
    this.sealed.push({ batch: this.builder.build(), held: this.held, messages: this.messagesInBatch });
    this.held = [];
    this.messagesInBatch = 0;
  }

  /** Hand the next batch over if the server's thread is free and it is time; answer drains once all is through. */
  private pump(): void {
    if (this.inFlight) return;
    if (!this.sealed.length && (this.builder.n || this.held.length)) {
      const wait = this.handedAt + this.cfg.maxWaitMs - Date.now();
      if (wait > 0 && !this.drains.length && !this.stopping) {
        this.timer ??= setTimeout(() => {
          this.timer = null;
          this.pump();
        }, wait);
        return;
      }
      this.seal();
    }
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const next = this.sealed.shift();
    if (next && next.batch.n === 0) {
      // Only refused messages: nothing to write, and nothing earlier is waiting, so their PUBACKs go out in order.
      this.ack(next.held);
      this.pump();
      return;
    }
    if (next) {
      const id = this.nextId++;
      this.inFlight = { id, held: next.held };
      this.handedAt = Date.now();
      this.reported = { received: this.received, rejected: this.rejected };
      this.post({ type: 'batch', id, batch: next.batch, messages: next.messages, received: this.received, rejected: this.rejected }, transferList(next.batch));
      return;
    }
    for (const done of this.drains.splice(0)) done();
  }

  private ack(held: Held[]): void {
    for (const h of held) if (h.generation === this.generation) h.send();
  }

  onDone(id: number, ok: boolean): void {
    const batch = this.inFlight;
    if (!batch || batch.id !== id) return;
    this.inFlight = null;
    if (ok) {
      this.ack(batch.held);
      this.pump();
      return;
    }
    // Not committed, not acknowledged: drop the connection so the broker sends the batch's messages again; what
    // was gathered after it comes again too, so it is let go.
    this.generation++;
    this.builder = new ReadingBatchBuilder();
    this.held = [];
    this.sealed = [];
    this.messagesInBatch = 0;
    const client = this.client;
    this.client = null;
    client?.end(true, () => {
      setTimeout(() => {
        if (!this.stopping) this.connect().catch((err: unknown) => this.log('MQTT 重连失败', err));
      }, 500);
    });
    this.pump();
  }

  drain(token: number): void {
    this.drains.push(() => this.post({ type: 'drained', token }));
    this.pump();
  }

  /** Write and acknowledge what arrived, then disconnect; the session (and the subscription) stays on the broker. */
  async stop(): Promise<void> {
    this.stopping = true;
    await new Promise<void>((resolve) => {
      this.drains.push(resolve);
      this.pump();
    });
    await this.client?.endAsync();
    this.client = null;
  }

  /** The counts, when they moved and no batch carried them (a stream of refused messages, say). */
  reportStats(): void {
    if (this.received === this.reported.received && this.rejected === this.reported.rejected) return;
    this.reported = { received: this.received, rejected: this.rejected };
    this.post({ type: 'stats', received: this.received, rejected: this.rejected });
  }

  log(msg: string, err?: unknown): void {
    this.post({ type: 'log', msg, ...(err === undefined ? {} : { err: describe(err) }) });
  }
}

/** An error as text for the server's log (an Error cannot cross threads with its class). */
function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : JSON.stringify(err);
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

if (parentPort) {
  const port = parentPort;
  const worker = new IngestWorker(workerData as IngestWorkerData, (m, transfer) => port.postMessage(m, transfer));
  const stats = setInterval(() => worker.reportStats(), 10);
  stats.unref();
  port.on('message', (m: ToWorker) => {
    switch (m.type) {
      case 'done':
        worker.onDone(m.id, m.ok);
        break;
      case 'drain':
        worker.drain(m.token);
        break;
      case 'stop':
        void worker.stop().then(() => {
          clearInterval(stats);
          port.postMessage({ type: 'stopped' } satisfies FromWorker);
        });
        break;
    }
  });
  worker.connect().then(
    () => port.postMessage({ type: 'ready' } satisfies FromWorker),
    (err: unknown) => port.postMessage({ type: 'failed', error: describe(err) } satisfies FromWorker),
  );
}
