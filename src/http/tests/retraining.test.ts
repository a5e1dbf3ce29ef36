import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { trainingRowsFromOrders } from '../../app/training/trainingRows.js';
import { trainModel } from '../../intelligence/classify/model.js';

for (const kind of backends) {
  describe(`retraining on the city's own orders (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(kind, { JIESU_TOKEN_TTL_HOURS: '720' });
    });
    after(async () => t.close());

    it('keeps a dispatcher’s category correction as a training example and labels closed orders by their branch', async () => {
      const agent = await t.login('agent');
      const dispatcher = await t.login('dispatcher');
      const queued = await t.call('POST', '/api/v1/requests', { token: agent, body: { type: 'complaint', title: '学校乱收费', body: '某小学开学收取补课费', channel: 'hotline', categoryCode: 'CX', dispatch: 'review' } });
      const id = queued.body.order.id;
      const fixed = await t.call('POST', `/api/v1/orders/${id}/transitions`, { token: dispatcher, body: { action: 'dispatch', leadUnitCode: '110105-JW', categoryCode: 'JY', version: queued.body.order.version } });
      assert.equal(fixed.status, 200, JSON.stringify(fixed.body));
      assert.equal(fixed.body.category.code, 'JY');
      assert.ok(fixed.body.history.some((h: { type: string; data: { from?: string } }) => h.type === 'recategorize' && h.data.from === 'CX'));
      const other = await t.call('POST', '/api/v1/requests', { token: agent, body: { type: 'complaint', title: '学校乱收费', body: '另一所小学', channel: 'hotline', dispatch: 'review' } });
      const bad = await t.call('POST', `/api/v1/orders/${other.body.order.id}/transitions`, { token: dispatcher, body: { action: 'dispatch', leadUnitCode: '110105-JW', categoryCode: 'NOPE', version: other.body.order.version } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.fields[0].field, 'categoryCode');
      const { rows, corrections } = await trainingRowsFromOrders({ db: t.store.db });
      assert.equal(corrections, 1);
      assert.deepEqual(rows.find((r) => r.title === '学校乱收费')?.label, '教育文体');
      // Rows of two branches train a model that tells them apart.
      const model = trainModel([...Array.from({ length: 30 }, (_, i) => ({ title: `学校收费问题${i}`, body: '学校乱收费补课费', label: '教育文体' })), ...Array.from({ length: 30 }, (_, i) => ({ title: `道路拥堵${i}`, body: '公交线路拥堵停车难', label: '交通运输' })), ...rows]);
      assert.equal(model.classify({ title: '补课费', body: '学校乱收费' }).label, '教育文体');
    });
  });
}

describe('npx jiesu retrain', () => {
  it('refuses to write a model from too few rows, saying how many it found', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jiesu-retrain-'));
    try {
      const r = spawnSync(process.execPath, ['bin/jiesu.mjs', 'retrain', '--out', path.join(dir, 'm.gz')], { env: { ...process.env, JIESU_DATA_DIR: dir, DATABASE_URL: '' }, encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /only 0 rows/);
      const usage = spawnSync(process.execPath, ['bin/jiesu.mjs', 'retrain'], { encoding: 'utf8' });
      assert.equal(usage.status, 2);
      const badMin = spawnSync(process.execPath, ['bin/jiesu.mjs', 'retrain', '--out', path.join(dir, 'm.gz'), '--min-rows', 'lots'], { encoding: 'utf8' });
      assert.equal(badMin.status, 2);
      assert.match(badMin.stderr, /--min-rows/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
