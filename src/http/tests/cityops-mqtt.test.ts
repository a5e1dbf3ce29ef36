/**
 * Sensor readings over MQTT with the real broker (127.0.0.1:1883): QoS 1 on a persistent session, PUBACKs only
 * after commit — a subscriber that crashes mid-stream and comes back loses no reading and stores none twice,
 * and the alert model still judges them. Not timed (bench/sensors.ts measures). Skipped when no broker answers.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { eq, sql } from 'drizzle-orm';
import { backends, openTestStore, type TestStore } from '../../../test/support/db.js';
import { brokerReachable } from '../../app/cityops/startSensorIngest.js';
import { SensorSubscriber } from '../../app/cityops/sensorSubscriber.js';
import { addSensorMessage, readingAt, ReadingBatchBuilder } from '../../app/cityops/sensorMessage.js';
import { alarms, alertModels, sensorReadings, sensors } from '../../store/schema/index.js';

const URL = 'mqtt://127.0.0.1:1883';
const reachable = await brokerReachable(URL);
const skip = reachable ? false : 'MQTT broker 127.0.0.1:1883 unreachable (start mosquitto, e.g. via .ci/run)';

describe('sensor message parsing', () => {
  it('names what is wrong in Chinese, and a refused message adds nothing', () => {
    const b = new ReadingBatchBuilder(4);
    assert.equal(addSensorMessage(b, 'jiesu/sensors/S1', '{"ts":0,"metric":"level","value":1}'), 1);
    assert.deepEqual(readingAt(b.build(), 0), { sensorId: 'S1', metric: 'level', value: 1, ts: new Date(0), lng: null, lat: null });
    const refused = (topic: string, payload: string) => addSensorMessage(b, topic, payload);
    assert.deepEqual(refused('jiesu/other/S1', '{}'), { error: '主题不符合 jiesu/sensors/{sensorId}：jiesu/other/S1' });
    assert.deepEqual(refused('jiesu/sensors/S1', '{"ts":"x","metric":"level","value":1}'), { error: 'ts：必须是 ISO 时间或毫秒时间戳' });
    assert.deepEqual(refused('jiesu/sensors/S1', '{"ts":0,"metric":"level","value":"1"}'), { error: 'value：必须是数字' });
    assert.deepEqual(refused('jiesu/sensors/S1', 'nope'), { error: '消息不是有效的 JSON' });
    assert.deepEqual(refused('jiesu/sensors/S1', '[]'), { error: '一条消息应含 1–1000 个读数' });
    assert.deepEqual(refused('jiesu/sensors/S1', '[{"ts":0,"metric":"level","value":1},{"ts":0,"metric":"level"}]'), { error: 'value：必须是数字' });
    assert.equal(b.build().n, 0, 'nothing of a refused message is kept');
  });
});

for (const kind of backends) {
  describe(`MQTT ingest across a subscriber crash (${kind})`, { skip }, () => {
    let store: TestStore;
    const tag = `${process.pid}-${kind}-${Date.now() % 100000}`;
    const sensorId = `T-MQ-${tag}`;
    const clientId = `jiesu-test-${tag}`;
    const now = new Date('2026-09-29T08:00:00Z');

    before(async () => {
      store = await openTestStore(kind);
      await store.db.insert(sensors).values({ id: sensorId, name: '测试MQTT水位计', kind: 'water_level', metrics: ['level'], lng: 116.47, lat: 39.99, streetId: '110105026', unitPath: '/110000/110105/110105026/', active: true, createdAt: now, updatedAt: now });
      await store.db.insert(alertModels).values({ name: '测试水位', kind: 'threshold', sourceType: 'sensor', scope: { sensorIds: [sensorId] }, params: { op: 'gte', value: 590 }, severity: 'major', createdAt: now, updatedAt: now });
    });
    after(async () => {
      // Remove the test's persistent session from the broker.
      const c = mqtt.connect(URL, { clientId, clean: true, protocolVersion: 5, properties: { sessionExpiryInterval: 0 } });
      await new Promise<void>((r) => c.once('connect', () => r()));
      await c.endAsync();
      await store.close();
    });

    it('stores every reading exactly once when the subscriber crashes mid-stream and restarts', async () => {
      const N = 600;
      const sub1 = new SensorSubscriber({ db: store.db, url: URL, clientId, now: () => now, maxBatch: 50, maxWaitMs: 5 });
      await sub1.start();
      const pub = mqtt.connect(URL, { clientId: `${clientId}-pub`, clean: true, protocolVersion: 5 });
      await new Promise<void>((r) => pub.once('connect', () => r()));
      const publish = (i: number) => pub.publishAsync(`jiesu/sensors/${sensorId}`, JSON.stringify({ ts: now.getTime() + i * 1000, metric: 'level', value: i }), { qos: 1 });
      const first = [];
      for (let i = 0; i < N / 2; i++) first.push(publish(i));
      // Crash once part of the first half has arrived: some stored and acknowledged, some held, some not yet sent.
      const deadline = Date.now() + 10_000;
      while (sub1.stats.messages < N / 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
      await sub1.stop({ abrupt: true });
      await Promise.all(first);
      const storedAtCrash = (await store.db.select({ n: sql<number>`count(*)::int` }).from(sensorReadings).where(eq(sensorReadings.sensorId, sensorId)))[0]?.n ?? 0;
      assert.ok(storedAtCrash < N / 2, `the crash came mid-stream (${storedAtCrash} stored of ${N / 2} published)`);
      // Keep publishing while no subscriber runs: the broker queues for the session (its queue holds 1000 by default).
      await Promise.all(Array.from({ length: N / 2 }, (_, k) => publish(N / 2 + k)));
      await pub.endAsync();

      const sub2 = new SensorSubscriber({ db: store.db, url: URL, clientId, now: () => now, maxBatch: 50, maxWaitMs: 5 });
      await sub2.start();
      let stored = 0;
      const until = Date.now() + 15_000;
      while (Date.now() < until) {
        stored = Number((await store.db.select({ n: sql<number>`count(*)::int` }).from(sensorReadings).where(eq(sensorReadings.sensorId, sensorId)))[0]?.n ?? 0);
        if (stored >= N) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await sub2.drain();
      await sub2.stop();
      const rows = await store.db.select({ ts: sensorReadings.ts }).from(sensorReadings).where(eq(sensorReadings.sensorId, sensorId));
      assert.equal(rows.length, N, `every published reading stored (stored ${rows.length})`);
      assert.equal(new Set(rows.map((r) => r.ts.getTime())).size, N, 'none twice');
      // Readings 590…599 are ≥ 590: one open alarm for the model and sensor, counted ten times.
      const [a] = await store.db.select().from(alarms).where(eq(alarms.sourceKey, `sensor:${sensorId}`));
      assert.equal(a?.count, 10);
    });
  });
}
