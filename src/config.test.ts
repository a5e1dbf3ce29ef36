import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    assert.equal(c.port, 8080);
    assert.equal(c.demo, true);
    assert.equal(c.databaseUrl, undefined);
    assert.match(c.dataDir, /data$/);
  });
  it('names the variable of a wrong value', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty' }), (e: unknown) => e instanceof ConfigError && /PORT/.test(e.message));
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
    assert.throws(() => loadConfig({ JIESU_DEMO: 'maybe' }), /JIESU_DEMO/);
  });
  it('MQTT ingest: auto on a local broker by default, off in tests unless set, explicit URL on, bad values named', () => {
    assert.deepEqual(loadConfig({ PORT: '8080' }).mqtt, { url: 'mqtt://127.0.0.1:1883', clientId: loadConfig({}).mqtt?.clientId, auto: true, shareGroup: null });
    assert.match(loadConfig({}).mqtt?.clientId ?? '', /^jiesu-ingest-.+-8080$/);
    assert.equal(loadConfig({ NODE_ENV: 'test' }).mqtt, null);
    assert.equal(loadConfig({ MQTT_URL: 'off' }).mqtt, null);
    assert.deepEqual(loadConfig({ NODE_ENV: 'test', MQTT_URL: 'mqtt://10.0.0.5:1883', MQTT_CLIENT_ID: 'jiesu-a' }).mqtt, { url: 'mqtt://10.0.0.5:1883', clientId: 'jiesu-a', auto: false, shareGroup: null });
    assert.equal(loadConfig({ MQTT_URL: 'mqtt://10.0.0.5:1883', MQTT_SHARE_GROUP: 'jiesu' }).mqtt?.shareGroup, 'jiesu');
    assert.throws(() => loadConfig({ MQTT_URL: 'http://x' }), /MQTT_URL/);
    assert.throws(() => loadConfig({ MQTT_CLIENT_ID: 'a b' }), /MQTT_CLIENT_ID/);
    assert.throws(() => loadConfig({ MQTT_SHARE_GROUP: 'a/b' }), /MQTT_SHARE_GROUP/);
  });
  it('never seeds demo accounts in production', () => {
    assert.equal(loadConfig({ NODE_ENV: 'production', JIESU_DEMO: 'true' }).demo, false);
  });
});
