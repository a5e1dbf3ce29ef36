/**
 * Sensor ingest: the checks and column batches (pure), storing column batches (each reading stored and judged once,
 * redeliveries and unknown sensors counted, values and places kept), and the MQTT worker on the real broker — a
 * batch is acknowledged only after it commits, a malformed message is refused and counted while the stream goes on,
 * and a shared subscription splits the stream between two servers. The crash-and-restart run of a whole stream is
 * `src/http/tests/cityops-mqtt.test.ts`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { eq, like, sql } from 'drizzle-orm';
import { backends, openTestStore, type TestStore } from '../../../test/support/db.js';
import { alarms, alertModels, sensorLatest, sensorReadings, sensors } from '../../store/schema/index.js';
import type { Db } from '../../store/db.js';
import { ingestReadings } from './ingestReadings.js';
import { SensorSubscriber } from './sensorSubscriber.js';
import { brokerReachable } from './startSensorIngest.js';
import { addSensorMessage, batchOfReadings, checkReading, readingAt, ReadingBatchBuilder } from './sensorMessage.js';

const BROKER = 'mqtt://127.0.0.1:1883';
const reachable = await brokerReachable(BROKER);
const noBroker = reachable ? false : 'MQTT broker 127.0.0.1:1883 unreachable (start mosquitto, e.g. via .ci/run)';

describe('sensor readings as they arrive', () => {
  it('checks a reading as the old parser did, and refuses instants PostgreSQL cannot store', () => {
    assert.deepEqual(checkReading({ ts: 1.9, metric: 'level', value: 2 }), { metric: 'level', value: 2, ts: 1, lng: null, lat: null });
    assert.deepEqual(checkReading({ ts: '2026-09-29T08:00:00+08:00', metric: 'level', value: 2, lng: 116.4, lat: 39.9 }), { metric: 'level', value: 2, ts: Date.parse('2026-09-29T00:00:00Z'), lng: 116.4, lat: 39.9 });
    for (const ts of [-1e15, 8.64e15, '+100000-01-01T00:00:00Z', null, true]) assert.deepEqual(checkReading({ ts, metric: 'level', value: 1 }), { error: 'ts：必须是 ISO 时间或毫秒时间戳' }, String(ts));
    assert.deepEqual(checkReading({ ts: 0, metric: 'level', value: 1, lng: 116 }), { error: 'lng/lat：须同时给出且在经纬度范围内' });
  });

  it('builds column batches: each sensor and metric once, positions kept, a refused message adds nothing', () => {
    const b = new ReadingBatchBuilder(2); // grows past its first size
    assert.equal(addSensorMessage(b, 'jiesu/sensors/A', '{"ts":1000,"metric":"level","value":1.5}'), 1);
    assert.equal(addSensorMessage(b, 'jiesu/sensors/B', '[{"ts":2000,"metric":"level","value":2},{"ts":3000,"metric":"flow","value":3,"lng":116.5,"lat":39.9}]'), 2);
    assert.deepEqual(addSensorMessage(b, 'jiesu/sensors/C', '[{"ts":4000,"metric":"level","value":4},{"ts":5000,"metric":"level","value":"x"}]'), { error: 'value：必须是数字' });
    assert.deepEqual(addSensorMessage(b, 'jiesu/sensors/C', 'not json'), { error: '消息不是有效的 JSON' });
    assert.deepEqual(addSensorMessage(b, 'jiesu/sensors/a b', '{}'), { error: '主题不符合 jiesu/sensors/{sensorId}：jiesu/sensors/a b' });
    assert.equal(addSensorMessage(b, 'jiesu/sensors/A', '{"ts":"1970-01-01T00:00:06Z","metric":"level","value":6}'), 1);
    const batch = b.build();
    assert.equal(batch.n, 4);
    assert.deepEqual(batch.sensors, ['A', 'B']);
    assert.deepEqual(batch.metrics, ['level', 'flow']);
    assert.deepEqual([...batch.sensor], [1, 2, 2, 1]);
    assert.deepEqual(readingAt(batch, 2), { sensorId: 'B', metric: 'flow', ts: new Date(3000), value: 3, lng: 116.5, lat: 39.9 });
    assert.deepEqual(readingAt(batch, 3), { sensorId: 'A', metric: 'level', ts: new Date(6000), value: 6, lng: null, lat: null });
    assert.equal(b.build().n, 0, 'the builder starts over');
    // The object form goes through the same columns.
    assert.deepEqual(readingAt(batchOfReadings([{ sensorId: 'B', metric: 'level', ts: new Date(2000), value: 2 }]), 0), { sensorId: 'B', metric: 'level', ts: new Date(2000), value: 2, lng: null, lat: null });
  });
});

for (const kind of backends) {
  describe(`storing column batches (${kind})`, () => {
    let store: TestStore;
    const tag = `${process.pid}-${kind}-${Date.now() % 100000}`;
    const s1 = `T-ING-${tag}-1`;
    const s2 = `T-ING-${tag}-2`;
    const now = new Date('2026-09-29T08:00:00Z');
    const at = (k: number) => new Date(now.getTime() + k * 1000);

    before(async () => {
      store = await openTestStore(kind);
      await store.db.insert(sensors).values([s1, s2].map((id) => ({ id, name: `测试 ${id}`, kind: 'water_level', metrics: ['level'], lng: 116.47, lat: 39.99, streetId: '110105026', unitPath: '/110000/110105/110105026/', active: true, createdAt: now, updatedAt: now })));
      await store.db.insert(alertModels).values({ name: '测试列批次', kind: 'threshold', sourceType: 'sensor', scope: { sensorIds: [s1, s2] }, params: { op: 'gte', value: 100 }, severity: 'major', createdAt: now, updatedAt: now });
    });
    after(async () => store.close());

    it('stores and judges each reading once: repeats in the batch, redeliveries of an earlier batch and unknown sensors are counted, not stored', async () => {
      const first = await ingestReadings({ db: store.db, now, readings: [{ sensorId: s1, metric: 'level', value: 100, ts: at(0) }, { sensorId: s1, metric: 'level', value: 1, ts: at(1), lng: 116.5, lat: 39.95 }] });
      assert.deepEqual([first.received, first.stored, first.duplicates], [2, 2, 0]);
      assert.equal(first.alarms.filter((a) => a.raised).length, 1);
      const b = new ReadingBatchBuilder();
      b.add(s1, { metric: 'level', value: 100, ts: at(0).getTime(), lng: null, lat: null }); // stored before
      b.add(s2, { metric: 'level', value: 120, ts: at(2).getTime(), lng: null, lat: null });
      b.add(s2, { metric: 'level', value: 120, ts: at(2).getTime(), lng: null, lat: null }); // twice in this batch
      b.add('T-ING-nobody', { metric: 'level', value: 5, ts: at(2).getTime(), lng: null, lat: null });
      b.add(s1, { metric: 'level', value: 130, ts: at(3).getTime(), lng: null, lat: null });
      b.add(s2, { metric: 'level', value: -0.25, ts: at(4).getTime() + 0.5, lng: 116.4, lat: 39.9 });
      const res = await ingestReadings({ db: store.db, now, readings: b.build() });
      assert.equal(res.received, 6);
      assert.equal(res.stored, 3, 'new: s2@2, s1@3, s2@4');
      assert.equal(res.duplicates, 2);
      assert.deepEqual(res.unknownSensors, ['T-ING-nobody']);
      // Judged once each: s1's open alarm repeated once (130), s2's raised once (the repeat in the batch is not judged).
      const open = await store.db.select().from(alarms).where(like(alarms.sourceKey, `sensor:T-ING-${tag}-%`));
      assert.deepEqual(open.map((a) => [a.sourceKey, a.count]).sort(), [[`sensor:${s1}`, 2], [`sensor:${s2}`, 1]]);
      const rows = await store.db.select().from(sensorReadings).where(eq(sensorReadings.sensorId, s2)).orderBy(sensorReadings.ts);
      assert.deepEqual(
        rows.map((r) => [r.ts.getTime() - now.getTime(), r.value, r.lng, r.lat]),
        [
          [2000, 120, null, null],
          [4000, -0.25, 116.4, 39.9],
        ],
      );
      const [latest] = await store.db.select().from(sensorLatest).where(eq(sensorLatest.sensorId, s2));
      assert.deepEqual([latest?.readings, latest?.value, latest?.ts.getTime()], [2, -0.25, at(4).getTime()]);
      const count = await store.db.select({ n: sql<number>`count(*)::int` }).from(sensorReadings).where(like(sensorReadings.sensorId, `T-ING-${tag}-%`));
      assert.equal(count[0]?.n, 5);
    });
  });
}

describe('the MQTT worker (pglite, real broker)', { skip: noBroker }, () => {
  let store: TestStore;
  const tag = `${process.pid}-${Date.now() % 100000}`;
  const sensorId = `T-MW-${tag}`;
  const sessions: string[] = [];
  const subs: SensorSubscriber[] = [];
  const now = new Date('2026-09-29T08:00:00Z');

  const subscriber = (clientId: string, db: Db, extra: { shareGroup?: string } = {}) => {
    if (!sessions.includes(clientId)) sessions.push(clientId);
    const sub = new SensorSubscriber({ db, url: BROKER, clientId, now: () => now, maxWaitMs: 1, ...extra });
    subs.push(sub);
    return sub;
  };
  const publish = async (messages: { topic?: string; payload: string }[]) => {
    const pub = mqtt.connect(BROKER, { clientId: `t-mw-pub-${tag}`, clean: true, protocolVersion: 5 });
    await new Promise<void>((r) => pub.once('connect', () => r()));
    for (const m of messages) await pub.publishAsync(m.topic ?? `jiesu/sensors/${sensorId}`, m.payload, { qos: 1 });
    await pub.endAsync();
  };
  const reading = (k: number, value = k) => ({ payload: JSON.stringify({ ts: now.getTime() + k * 1000, metric: 'level', value }) });
  const until = async (cond: () => boolean | Promise<boolean>, ms = 10_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await cond()) return true;
      await new Promise((r) => setTimeout(r, 10));
    }
    return cond();
  };
  const stored = async () => Number((await store.db.select({ n: sql<number>`count(*)::int` }).from(sensorReadings).where(eq(sensorReadings.sensorId, sensorId)))[0]?.n ?? 0);

  before(async () => {
    store = await openTestStore('pglite');
    await store.db.insert(sensors).values({ id: sensorId, name: '测试MQTT线程', kind: 'water_level', metrics: ['level'], lng: 116.47, lat: 39.99, streetId: '110105026', unitPath: '/110000/110105/110105026/', active: true, createdAt: now, updatedAt: now });
  });
  after(async () => {
    for (const s of subs) await s.stop({ abrupt: true });
    for (const clientId of sessions) {
      const c = mqtt.connect(BROKER, { clientId, clean: true, protocolVersion: 5, properties: { sessionExpiryInterval: 0 } });
      await new Promise<void>((r) => c.once('connect', () => r()));
      await c.endAsync();
    }
    await store.close();
  });

  it('acknowledges a batch only after it commits: committed but unacknowledged comes again (and is dropped), acknowledged does not', async () => {
    const clientId = `t-mw-ack-${tag}`;
    // A database whose next transaction waits at a gate, so the crash falls between receipt and commit.
    let open: () => void = () => undefined;
    const gate = new Promise<void>((r) => (open = r));
    let reached = false;
    const gated = new Proxy(store.db, {
      get(target, prop, receiver) {
        if (prop !== 'transaction') return Reflect.get(target, prop, receiver) as unknown;
        return async (cb: Parameters<Db['transaction']>[0]) => {
          reached = true;
          await gate;
          return target.transaction(cb);
        };
      },
    });
    const sub1 = subscriber(clientId, gated);
    await sub1.start();
    await publish([reading(1)]);
    assert.ok(await until(() => reached), 'the batch reached the database');
    const crashed = sub1.stop({ abrupt: true }); // the worker (and its connection) ends while the commit waits
    open();
    await crashed;
    // The stop does not wait for the database: the gated transaction commits a moment later.
    assert.ok(await until(async () => (await stored()) === 1), 'the batch committed after the crash, but its PUBACK could not go out');

    const sub2 = subscriber(clientId, store.db);
    await sub2.start();
    assert.ok(await until(() => sub2.stats.duplicates === 1), `redelivered and dropped by the primary key (${JSON.stringify(sub2.stats)})`);
    assert.equal(sub2.stats.stored, 0);
    await publish([reading(2)]);
    assert.ok(await until(() => sub2.stats.stored === 1));
    await sub2.drain();
    await sub2.stop({ abrupt: true });

    const sub3 = subscriber(clientId, store.db);
    await sub3.start();
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(sub3.stats.messages, 0, 'nothing acknowledged comes back');
    await sub3.stop();
    assert.equal(await stored(), 2);
  });

  it('refuses and counts a malformed message without stopping the stream, and acknowledges it (no redelivery)', async () => {
    const clientId = `t-mw-bad-${tag}`;
    const logged: string[] = [];
    const sub = subscriber(clientId, store.db);
    (sub as unknown as { log: (m: string) => void }).log = (m: string) => logged.push(m);
    await sub.start();
    const before = await stored();
    await publish([reading(10), { payload: '{"ts":' }, reading(11, Number.NaN), { payload: JSON.stringify({ ts: now.getTime(), metric: 'level', value: 'high' }) }, reading(12), { topic: `jiesu/sensors/${sensorId}`, payload: '[]' }, reading(13)]);
    assert.ok(await until(async () => (await stored()) === before + 3 && sub.stats.rejected === 4), JSON.stringify(sub.stats));
    assert.equal(sub.stats.messages, 7);
    assert.ok(logged.some((m) => m.includes('消息不是有效的 JSON')), logged.join('\n'));
    await sub.drain();
    await sub.stop({ abrupt: true });
    const again = subscriber(clientId, store.db);
    await again.start();
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(again.stats.messages, 0, 'refused messages were acknowledged with their batch');
    await again.stop();
  });

  it('splits the stream between two servers in one shared-subscription group, each reading stored once', async () => {
    const group = `t-mw-${tag}`;
    const a = subscriber(`t-mw-share-a-${tag}`, store.db, { shareGroup: group });
    const b = subscriber(`t-mw-share-b-${tag}`, store.db, { shareGroup: group });
    await Promise.all([a.start(), b.start()]);
    const before = await stored();
    await publish(Array.from({ length: 40 }, (_, k) => reading(100 + k)));
    assert.ok(await until(async () => (await stored()) === before + 40));
    await Promise.all([a.drain(), b.drain()]);
    assert.equal(a.stats.messages + b.stats.messages, 40, 'each message went to one of them');
    assert.ok(a.stats.messages > 0 && b.stats.messages > 0, `both took a share (${a.stats.messages} / ${b.stats.messages})`);
    await Promise.all([a.stop(), b.stop()]);
  });
});
