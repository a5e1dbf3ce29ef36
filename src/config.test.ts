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
  it('never seeds demo accounts in production', () => {
    assert.equal(loadConfig({ NODE_ENV: 'production', JIESU_DEMO: 'true' }).demo, false);
  });
});
