/**
 * Sensor readings through MQTT (QoS 1, the real broker) into the database with the alert models evaluated, beside
 * the raw MQTT publish→receive rate of the same broker in the same run (no database); the latency from a
 * reading that meets a threshold to its alarm committed; a paced run at the issue's target (10,000 readings/s, 100
 * every 10 ms, for JIESU_BENCH_SENSOR_PACED_SECONDS=10 s, ~50 threshold-breaking readings among them) with the stored
 * rate and the alarm latency at that rate; and a subscriber that crashes mid-stream and restarts (count stored ==
 * count published).
 *
 *   npm run bench -- sensors        # JIESU_BENCH_SENSOR_READINGS=100000 by default
 *   JIESU_BENCH_SENSOR_PROFILE=.perf/sensors npm run bench -- sensors   # also a CPU profile of the server's thread
 *                                   # over each paced window (<dir>/paced-<kind>.cpuprofile) and its summary
 *
 * The publisher runs on a worker thread, as a device fleet would be another machine; the subscriber's MQTT client runs on
 * a worker thread of its own (src/app/cityops/sensorIngestWorker.ts), so the server's thread only writes batches.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Session } from 'node:inspector/promises';
import mqtt from 'mqtt';
import { sql } from 'drizzle-orm';
import { brokerReachable } from '../src/app/cityops/startSensorIngest.js';
import { SensorSubscriber } from '../src/app/cityops/sensorSubscriber.js';
import { alertModels, sensorReadings, sensors } from '../src/store/schema/index.js';
import type { Store } from '../src/store/db.js';
import { fmt, freshStore } from './support.js';

const SYSTEM_BROKER = 'mqtt://127.0.0.1:1883';
const SENSORS = 200;
const HOT_SENSORS = 20;

export type SensorFigures = {
  kind: string;
  broker: string;
  readings: number;
  rawPerSec: number;
  ingestPerSec: number;
  ratio: number;
  batches: number;
  alarmLatencyMs: { n: number; p50: number; p95: number; max: number };
  quietLatencyMs: { n: number; p50: number; max: number };
  restart: { broker: string; published: number; stored: number; duplicatesDropped: number }[];
  paced: PacedFigures;
};

/** The issue's target: 10,000 readings/s steady, alarms among them, each raised ≤ 1 s after its condition holds. */
export type PacedFigures = { targetPerSec: number; seconds: number; published: number; publishedPerSec: number; storedPerSec: number; backlogAtEnd: number; drainMs: number; batches: number; batchSize: { p50: number; max: number }; serverThreadBusy: number; alarmLatencyMs: { n: number; p50: number; p95: number; max: number } };

/** The device fleet: publishes `n` readings QoS 1 over `clients` connections, `window` unacknowledged each. */
const publisherScript = `
const { parentPort, workerData } = require('node:worker_threads');
const mqtt = require('mqtt');
const { url, n, from, sensors, hotSensors, hotEvery, clients, inflight, tag, pauseAt } = workerData;
(async () => {
  const conns = await Promise.all(Array.from({ length: clients }, (_, c) => new Promise((res, rej) => {
    const cl = mqtt.connect(url, { clientId: tag + '-pub-' + c, clean: true, protocolVersion: 5 });
    cl.once('connect', () => res(cl)); cl.once('error', rej);
  })));
  let next = from, hot = 0;
  const started = performance.now();
  const end = from + n;
  const one = async (cl) => {
    while (next < end) {
      const i = next++;
      if (pauseAt !== null && i === pauseAt) { parentPort.postMessage({ paused: true }); await new Promise((r) => parentPort.once('message', r)); }
      let topic, payload;
      if (hotEvery > 0 && i % hotEvery === hotEvery - 1 && hot < hotSensors) {
        topic = 'jiesu/sensors/' + tag + '-H-' + (hot++);
        payload = JSON.stringify({ ts: Date.now(), metric: 'level', value: 1000 });
      } else {
        topic = 'jiesu/sensors/' + tag + '-S-' + (i % sensors);
        payload = JSON.stringify({ ts: 1790000000000 + i, metric: 'level', value: (i * 7919) % 100 });
      }
      await cl.publishAsync(topic, payload, { qos: 1 });
    }
  };
  await Promise.all(conns.flatMap((cl) => Array.from({ length: inflight }, () => one(cl))));
  const ms = performance.now() - started;
  await Promise.all(conns.map((cl) => cl.endAsync()));
  parentPort.postMessage({ done: true, ms });
})().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
`;

/** A steady fleet: `perSlice` readings every `sliceMs` for `seconds`, one threshold-breaking reading every `hotEverySlices` slices. */
const pacedScript = `
const { parentPort, workerData } = require('node:worker_threads');
const mqtt = require('mqtt');
const { url, tag, sensors, perSlice, sliceMs, seconds, hotEverySlices, clients } = workerData;
(async () => {
  const conns = await Promise.all(Array.from({ length: clients }, (_, c) => new Promise((res, rej) => {
    const cl = mqtt.connect(url, { clientId: tag + '-pace-' + c, clean: true, protocolVersion: 5 });
    cl.once('connect', () => res(cl)); cl.once('error', rej);
  })));
  const slices = Math.round((seconds * 1000) / sliceMs);
  const pending = [];
  let i = 0, hot = 0, late = 0;
  const started = performance.now();
  for (let k = 0; k < slices; k++) {
    const due = started + k * sliceMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait)); else if (wait < -sliceMs) late++;
    for (let j = 0; j < perSlice; j++, i++) {
      const cl = conns[i % clients];
      let topic, payload;
      if (j === 0 && k % hotEverySlices === hotEverySlices - 1) {
        topic = 'jiesu/sensors/' + tag + '-H-' + (hot++);
        payload = JSON.stringify({ ts: Date.now(), metric: 'level', value: 1000 });
      } else {
        topic = 'jiesu/sensors/' + tag + '-S-' + (i % sensors);
        payload = JSON.stringify({ ts: 1790000000000 + i, metric: 'level', value: (i * 7919) % 100 });
      }
      pending.push(cl.publishAsync(topic, payload, { qos: 1 }));
    }
    if (pending.length > 20000) await Promise.all(pending.splice(0));
  }
  const ms = performance.now() - started;
  await Promise.all(pending);
  await Promise.all(conns.map((cl) => cl.endAsync()));
  parentPort.postMessage({ done: true, ms, published: i, hot, late });
})().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
`;

type PublisherOpts = { url: string; n: number; from: number; hotEvery: number; tag: string; pauseAt: number | null };

function startPublisher(o: PublisherOpts): { worker: Worker; done: Promise<number>; paused: Promise<void> } {
  const worker = new Worker(publisherScript, { eval: true, workerData: { ...o, sensors: SENSORS, hotSensors: HOT_SENSORS, clients: 2, inflight: 200 } });
  let onPaused: () => void = () => undefined;
  const paused = new Promise<void>((r) => (onPaused = r));
  const done = new Promise<number>((resolve, reject) => {
    worker.on('message', (m: { done?: boolean; ms?: number; paused?: boolean; error?: string }) => {
      if (m.paused) onPaused();
      if (m.error) reject(new Error(m.error));
      if (m.done) resolve(m.ms ?? 0);
    });
    worker.once('error', reject);
  });
  done.finally(() => void worker.terminate()).catch(() => undefined);
  return { worker, done, paused };
}

/** Baseline: the broker's publish→receive rate with QoS 1 and a persistent session, no database. */
async function rawRate(url: string, n: number, tag: string): Promise<number> {
  const clientId = `${tag}-raw`;
  const sub = mqtt.connect(url, { clientId, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 60, receiveMaximum: 20_000 } });
  await new Promise<void>((r) => sub.once('connect', () => r()));
  await sub.subscribeAsync('jiesu/sensors/+', { qos: 1 });
  let got = 0;
  let t0 = 0;
  const mine = `jiesu/sensors/${tag}x-`;
  const all = new Promise<void>((resolve) =>
    sub.on('message', (topic) => {
      if (!topic.startsWith(mine)) return;
      if (got === 0) t0 = performance.now();
      if (++got >= n) resolve();
    }),
  );
  const pub = startPublisher({ url, n, from: 0, hotEvery: 0, tag: `${tag}x`, pauseAt: null });
  const t = performance.now();
  await Promise.all([pub.done, all]);
  const ms = performance.now() - Math.min(t, t0 || t);
  await sub.endAsync();
  await dropSession(url, clientId);
  return (n / ms) * 1000;
}

/** Publish at the target rate into a fresh subscriber; the stored rate over the window and the alarm latency at that rate. */
async function pacedRun(store: Store, url: string, tag: string, seconds: number): Promise<PacedFigures> {
  const perSlice = 100;
  const sliceMs = 10;
  const hotEverySlices = Math.max(1, Math.floor((seconds * 1000) / sliceMs / 50)); // ~50 alarms over the run
  await seed(store, tag, false); // the three models of the full-speed run are still active
  await store.db.insert(sensors).values(Array.from({ length: 60 }, (_, i) => ({ id: `${tag}-H-${HOT_SENSORS + i}`, name: `压测传感器 ${tag}-H-${HOT_SENSORS + i}`, kind: 'water_level', metrics: ['level'], lng: 116.47, lat: 39.99, streetId: '110105026', unitPath: '/110000/110105/110105026/', active: true, createdAt: new Date(), updatedAt: new Date() })));
  const clientId = `${tag}-ingest`;
  const latencies: number[] = [];
  const sizes: number[] = [];
  const sub = new SensorSubscriber({
    db: store.db,
    url,
    clientId,
    onBatch: (res, committedAt) => {
      sizes.push(res.received);
      for (const a of res.alarms) if (a.raised && a.sourceKey.includes('-H-')) latencies.push(committedAt.getTime() - a.conditionAt.getTime());
    },
  });
  await sub.start();
  // How much of the window the server's thread (this one: the database, on PGlite) was busy.
  const profiler = process.env.JIESU_BENCH_SENSOR_PROFILE ? await startProfile() : null;
  const elu0 = performance.eventLoopUtilization();
  const worker = new Worker(pacedScript, { eval: true, workerData: { url, tag, sensors: SENSORS, perSlice, sliceMs, seconds, hotEverySlices, clients: 2 } });
  const done = new Promise<{ ms: number; published: number; hot: number }>((resolve, reject) => {
    worker.on('message', (m: { done?: boolean; ms: number; published: number; hot: number; error?: string }) => (m.error ? reject(new Error(m.error)) : m.done ? resolve(m) : undefined));
    worker.once('error', reject);
  });
  const t0 = performance.now();
  const out = await done.finally(() => void worker.terminate());
  const windowMs = performance.now() - t0;
  const busy = performance.eventLoopUtilization(elu0).utilization;
  if (profiler) await stopProfile(profiler, path.join(process.env.JIESU_BENCH_SENSOR_PROFILE as string, `paced-${store.kind}.cpuprofile`));
  const storedInWindow = sub.stats.stored + sub.stats.duplicates;
  const t1 = performance.now();
  await waitFor(() => sub.stats.stored + sub.stats.duplicates >= out.published, 300_000);
  const drainMs = performance.now() - t1;
  await waitFor(() => latencies.length >= out.hot, 5_000);
  await sub.drain();
  await sub.stop();
  await dropSession(url, clientId);
  latencies.sort((a, b) => a - b);
  sizes.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return {
    batchSize: { p50: sizes[Math.floor(sizes.length / 2)] ?? NaN, max: sizes[sizes.length - 1] ?? NaN },
    serverThreadBusy: busy,
    targetPerSec: (perSlice * 1000) / sliceMs,
    seconds,
    published: out.published,
    publishedPerSec: (out.published / out.ms) * 1000,
    storedPerSec: (storedInWindow / windowMs) * 1000,
    backlogAtEnd: out.published - storedInWindow,
    drainMs,
    batches: sub.stats.batches,
    alarmLatencyMs: { n: latencies.length, p50: q(0.5), p95: q(0.95), max: latencies[latencies.length - 1] ?? NaN },
  };
}

type CpuProfile = { nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[]; samples: number[]; timeDeltas: number[] };

async function startProfile(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return session;
}

/** Write the profile and print where the server's thread went, by inclusive time of a few groups of code. */
async function stopProfile(session: Session, file: string): Promise<void> {
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
  session.disconnect();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(profile));
  const groups: [string, (fn: string, url: string) => boolean][] = [
    ['PGlite executing SQL (WebAssembly)', (fn) => fn === 'execProtocolRawSync'],
    ['PGlite: parsing results', (fn, url) => fn === 'parse' && url.includes('pglite')],
    ['MQTT (socket reads, packets, client)', (_fn, url) => url.includes('mqtt-packet') || url.includes('/mqtt/')],
    ['sensor message checks', (fn) => fn === 'parseSensorMessage' || fn === 'addSensorMessage'],
    ['storeReadings (lookup, insert, latest)', (fn) => fn === 'storeReadings'],
    ['evaluate (rules, states, alarms)', (fn) => fn === 'evaluate'],
    ['garbage collection', (fn) => fn === '(garbage collector)'],
    ['idle', (fn) => fn === '(idle)'],
  ];
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totals = groups.map(() => 0);
  let all = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    all += ms;
    const hit = new Set<number>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)?.callFrame;
      if (f) groups.forEach(([, match], g) => (match(f.functionName, f.url) ? hit.add(g) : undefined));
    }
    for (const g of hit) totals[g] = (totals[g] ?? 0) + ms;
  });
  console.log(`  profile of the server's thread over the paced window: ${file}`);
  groups.forEach(([name], g) => console.log(`    ${fmt(((totals[g] ?? 0) / all) * 100, 1).padStart(5)} %  ${name}`));
}

async function dropSession(url: string, clientId: string): Promise<void> {
  const c = mqtt.connect(url, { clientId, clean: true, protocolVersion: 5, properties: { sessionExpiryInterval: 0 } });
  await new Promise<void>((r) => c.once('connect', () => r()));
  await c.endAsync();
}

async function seed(store: Store, tag: string, withModels = true): Promise<void> {
  const now = new Date();
  const rows = [...Array.from({ length: SENSORS }, (_, i) => `${tag}-S-${i}`), ...Array.from({ length: HOT_SENSORS }, (_, i) => `${tag}-H-${i}`)].map((id) => ({
    id,
    name: `压测传感器 ${id}`,
    kind: 'water_level',
    metrics: ['level'],
    lng: 116.47,
    lat: 39.99,
    streetId: '110105026',
    unitPath: '/110000/110105/110105026/',
    active: true,
    createdAt: now,
    updatedAt: now,
  }));
  await store.db.insert(sensors).values(rows);
  if (!withModels) return;
  // Rules evaluated on every reading: a stateless threshold, a duration and a repeat (state per sensor in the DB).
  await store.db.insert(alertModels).values([
    { name: '压测：水位超限', kind: 'threshold', sourceType: 'sensor', scope: { metric: 'level' }, params: { op: 'gt', value: 500 }, severity: 'major', createdAt: now, updatedAt: now },
    { name: '压测：持续偏高', kind: 'duration', sourceType: 'sensor', scope: { metric: 'level' }, params: { op: 'gt', value: 98, minutes: 10 }, severity: 'minor', createdAt: now, updatedAt: now },
    { name: '压测：反复偏高', kind: 'repeat', sourceType: 'sensor', scope: { metric: 'level' }, params: { op: 'gt', value: 95, times: 5, minutes: 1 }, severity: 'warning', createdAt: now, updatedAt: now },
  ]);
}

const storedCount = async (store: Store, tag: string) => Number((await store.db.select({ n: sql<number>`count(*)::int` }).from(sensorReadings).where(sql`${sensorReadings.sensorId} LIKE ${`${tag}-%`}`))[0]?.n ?? 0);

async function waitFor(cond: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}

/** Crash the subscriber after a third of `n` arrived, keep publishing, restart; count what is stored. */
async function restartRun(store: Store, url: string, n: number, tag: string, label: string): Promise<SensorFigures['restart'][number]> {
  const clientId = `${tag}-ingest-${label}`;
  await seed(store, tag);
  let sub = new SensorSubscriber({ db: store.db, url, clientId });
  await sub.start();
  const pauseAt = Math.floor(n / 3);
  const pub = startPublisher({ url, n, from: 0, hotEvery: 0, tag, pauseAt });
  await pub.paused;
  await waitFor(() => sub.stats.messages >= pauseAt, 30_000);
  await sub.stop({ abrupt: true }); // a crash: whatever was not yet committed is not acknowledged
  pub.worker.postMessage('go');
  await pub.done;
  sub = new SensorSubscriber({ db: store.db, url, clientId });
  await sub.start();
  await waitFor(async () => (await storedCount(store, tag)) >= n, 120_000);
  await sub.drain();
  const stored = await storedCount(store, tag);
  await sub.stop();
  await dropSession(url, clientId);
  return { broker: label, published: n, stored, duplicatesDropped: sub.stats.duplicates };
}

/** A broker of our own for the restart test at volume: the system broker queues only 1000 messages per offline session. */
function startOwnBroker(port: number): Promise<ChildProcess | null> {
  const dir = path.resolve('.test-artifacts/bench-mosquitto');
  mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nmax_inflight_messages 0\n`);
  return new Promise((resolve) => {
    const p = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
    p.once('error', () => resolve(null));
    void waitFor(() => brokerReachable(`mqtt://127.0.0.1:${port}`, 200), 3000).then((ok) => resolve(ok ? p : null));
  });
}

export async function run(kind: 'pglite' | 'postgres'): Promise<SensorFigures | null> {
  if (!(await brokerReachable(SYSTEM_BROKER))) {
    console.log('sensors: MQTT broker 127.0.0.1:1883 unreachable — skipped');
    return null;
  }
  const n = Number(process.env.JIESU_BENCH_SENSOR_READINGS ?? 100_000);
  const tag = `bench${process.pid}${kind === 'pglite' ? 'l' : 'p'}${Date.now() % 10000}`;
  // The stream goes to a Mosquitto of our own without the default 1,000-message queue limit (the system broker
  // drops QoS 1 messages once a slower subscriber is 20,000 + 1,000 behind); without mosquitto, to the system broker.
  const ownPort = 18830 + (kind === 'pglite' ? 0 : 1);
  const own = await startOwnBroker(ownPort);
  process.once('exit', () => own?.kill('SIGTERM'));
  const BROKER = own ? `mqtt://127.0.0.1:${ownPort}` : SYSTEM_BROKER;
  const brokerLabel = own ? 'own mosquitto (max_queued_messages 0)' : 'system broker';
  const rawPerSec = await rawRate(BROKER, n, tag);

  const { store, drop } = await freshStore(kind);
  try {
    await seed(store, tag);
    const clientId = `${tag}-ingest`;
    const latencies: number[] = [];
    const sub = new SensorSubscriber({
      db: store.db,
      url: BROKER,
      clientId,
      onBatch: (res, committedAt) => {
        for (const a of res.alarms) if (a.raised && a.sourceKey.includes('-H-')) latencies.push(committedAt.getTime() - a.conditionAt.getTime());
      },
    });
    await sub.start();
    const t0 = performance.now();
    const pub = startPublisher({ url: BROKER, n, from: 0, hotEvery: Math.floor(n / HOT_SENSORS), tag, pauseAt: null });
    await pub.done;
    await waitFor(() => sub.stats.stored + sub.stats.duplicates >= n, 300_000);
    const ms = performance.now() - t0;
    // Latency on a quiet stream: 20 threshold-breaking readings of fresh sensors once the backlog is gone.
    const busyLatencies = latencies.splice(0);
    await seed(store, `${tag}q`, false);
    const quiet = startPublisher({ url: BROKER, n: HOT_SENSORS, from: 0, hotEvery: 1, tag: `${tag}q`, pauseAt: null });
    await quiet.done;
    await waitFor(() => latencies.length >= HOT_SENSORS, 30_000);
    const quietLatencies = latencies.splice(0).sort((a, b) => a - b);
    latencies.push(...busyLatencies);
    await sub.drain();
    await sub.stop();
    await dropSession(BROKER, clientId);
    const stored = await storedCount(store, tag);
    if (stored !== n) console.log(`sensors (${kind}): WARNING stored ${stored} of ${n}`);
    const ingestPerSec = (stored / ms) * 1000;
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;

    const paced = await pacedRun(store, BROKER, `${tag}v`, Number(process.env.JIESU_BENCH_SENSOR_PACED_SECONDS ?? 10));

    // Restart mid-stream: on the system broker within its offline queue (1000), and at volume on a broker of our own.
    const restart: SensorFigures['restart'] = [];
    restart.push(await restartRun(store, SYSTEM_BROKER, 900, `${tag}r1`, 'system broker (900 readings, 600 while down: its offline queue holds 1,000)'));
    if (own) restart.push(await restartRun(store, BROKER, 30_000, `${tag}r2`, 'own mosquitto, max_queued_messages 0 (30,000 readings)'));
    return { kind, broker: brokerLabel, readings: stored, rawPerSec, ingestPerSec, ratio: ingestPerSec / rawPerSec, batches: sub.stats.batches, alarmLatencyMs: { n: latencies.length, p50: q(0.5), p95: q(0.95), max: latencies[latencies.length - 1] ?? NaN }, quietLatencyMs: { n: quietLatencies.length, p50: quietLatencies[Math.floor(quietLatencies.length / 2)] ?? NaN, max: quietLatencies[quietLatencies.length - 1] ?? NaN }, restart, paced };
  } finally {
    own?.kill('SIGTERM');
    await drop();
  }
}

function pacedLine(p: PacedFigures): string {
  const behindSec = p.backlogAtEnd / p.targetPerSec;
  const kept = behindSec <= 1; // at most a second of readings waiting when publishing stops: within the 1 s target
  return [
    `  paced at ${fmt(p.targetPerSec)} readings/s (100 every 10 ms) for ${p.seconds} s: published ${fmt(p.published)} (${fmt(p.publishedPerSec)}/s), stored ${fmt(p.storedPerSec)}/s over the window in ${fmt(p.batches)} batches (readings per batch: median ${fmt(p.batchSize.p50)}, max ${fmt(p.batchSize.max)}; server thread busy ${fmt(p.serverThreadBusy * 100)}%), ${fmt(p.backlogAtEnd)} waiting at the end (drained in ${fmt(p.drainMs)} ms)`,
    kept ? `    ✓ keeps up with ${fmt(p.targetPerSec)} readings/s (${fmt(behindSec, 1)} s behind when publishing stops)` : `    ✗ ingest does NOT keep up with ${fmt(p.targetPerSec)} readings/s on this backend (${fmt(behindSec, 1)} s behind when publishing stops)`,
    `  alarm latency at that rate, ${p.alarmLatencyMs.n} alarms: p50 ${fmt(p.alarmLatencyMs.p50)} ms, p95 ${fmt(p.alarmLatencyMs.p95)} ms, max ${fmt(p.alarmLatencyMs.max)} ms${p.alarmLatencyMs.max <= 1000 ? ' (≤ 1 s ✓)' : ' (✗ over 1 s)'}`,
  ]
    .filter(Boolean)
    .join('\n');
}

export function report(f: SensorFigures | null): string {
  if (!f) return '';
  const lines = [
    `sensors (${f.kind}, ${f.broker}): ${fmt(f.readings)} readings through MQTT QoS 1 + 3 alert models into the database: ${fmt(f.ingestPerSec)} readings/s in ${fmt(f.batches)} batches`,
    `  baseline raw MQTT publish→receive (same broker, no database): ${fmt(f.rawPerSec)} msg/s → ratio ${fmt(f.ratio, 2)}`,
    `  alarm latency (threshold met → alarm committed) inside the full-speed stream (includes the backlog), ${f.alarmLatencyMs.n} alarms: p50 ${fmt(f.alarmLatencyMs.p50)} ms, p95 ${fmt(f.alarmLatencyMs.p95)} ms, max ${fmt(f.alarmLatencyMs.max)} ms`,
    `  alarm latency on a quiet stream, ${f.quietLatencyMs.n} alarms: p50 ${fmt(f.quietLatencyMs.p50)} ms, max ${fmt(f.quietLatencyMs.max)} ms`,
    pacedLine(f.paced),
    ...f.restart.map((r) => `  subscriber crash mid-stream + restart, ${r.broker}: published ${fmt(r.published)}, stored ${fmt(r.stored)}${r.stored === r.published ? ' ✓ none lost' : ' ✗ LOST'} (redelivered duplicates dropped: ${fmt(r.duplicatesDropped)})`),
  ];
  return lines.join('\n');
}
