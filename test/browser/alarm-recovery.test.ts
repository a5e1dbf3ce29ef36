/**
 * 自动解除 in a real browser against a real server (JOURNEYS.md 9): the administrator defines the underpass model in
 * 管理 → 预警模型 with its automatic clear (a recovery value above the threshold is refused on its field), the water
 * rises and falls, and the dispatcher's command screen lists the alarm as 自动解除 with its reason. Needs
 * /usr/bin/chromium (skips without it). A failing step leaves a screenshot in .test-artifacts/screenshots/.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Page } from 'playwright-core';
import { apiFrom, chromiumMissing, signIn, step } from '../support/browser.js';
import { browserSuite } from '../support/browserSuite.js';

const MIN = 60_000;

describe('automatic clear in the browser', { skip: chromiumMissing ?? false }, () => {
  const suite = browserSuite();
  const signInAs = async (username: string): Promise<Page> => (await signIn(suite.browser, suite.server.url, username)).page;
  const stepOf = (page: Page, name: string, fn: () => Promise<void>) => step(page, `recovery_${name}`, fn);
  const apiCall = apiFrom;

  test('the administrator sets the automatic clear; the command screen shows the alarm as 自动解除 with its reason', async () => {
    const admin = await signInAs('admin');
    await stepOf(admin, 'model', async () => {
      await admin.goto(`${suite.server.url}/admin/alert-models`);
      await admin.getByRole('button', { name: '新建模型' }).click();
      const dialog = admin.getByRole('dialog');
      await dialog.getByLabel('名称').fill('下凹桥区积水（浏览器）');
      await dialog.getByLabel('规则类型').click();
      await admin.locator('.ant-select-item-option', { hasText: 'duration' }).click();
      await dialog.getByLabel('指标（如 level）').fill('level');
      await dialog.getByLabel('传感器类型（如 water_level）').fill('underpass_water');
      await dialog.getByLabel('规则参数（JSON）').fill('{"op":"gt","value":20,"minutes":5}');
      await dialog.getByRole('switch', { name: '条件消失后自动解除告警' }).click();
      await dialog.getByLabel('持续分钟数').fill('5');
      await dialog.getByLabel('恢复值（可选，回差）').fill('25');
      await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
      await dialog.locator('.ant-form-item-explain-error', { hasText: 'recovery.value：须不高于告警值 20' }).waitFor();
      await dialog.getByLabel('恢复值（可选，回差）').fill('15');
      await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
      await admin.locator('tr', { hasText: '下凹桥区积水（浏览器）' }).locator('.ant-tag', { hasText: '回落到 15 以下持续 5 分钟' }).waitFor();
    });
    const sensor = await apiCall(admin, 'POST', '/api/v1/sensors', { id: 'B-UP-1', name: '浏览器测试：下凹桥区水位计', kind: 'underpass_water', metrics: ['level'], streetCode: '110105026' });
    assert.equal(sensor.status, 201, JSON.stringify(sensor.body));
    const key = sensor.body.deviceKey as string;
    const t0 = Date.now() - 20 * MIN;
    const level = (min: number, value: number) => ({ ts: new Date(t0 + min * MIN).toISOString(), metric: 'level', value });
    const rise = await apiCall(admin, 'POST', '/api/v1/sensors/B-UP-1/readings', [level(0, 25), level(5, 27)], { 'x-device-key': key });
    assert.equal((rise.body.alarms as unknown[]).length, 1, JSON.stringify(rise.body));
    await apiCall(admin, 'POST', '/api/v1/sensors/B-UP-1/readings', [level(6, 14), level(11, 12)], { 'x-device-key': key });
    await admin.context().close();

    const screen = await signInAs('dispatcher');
    await stepOf(screen, 'command', async () => {
      await screen.goto(`${suite.server.url}/command`);
      const item = screen.locator('section[aria-labelledby="cmd-cleared"] .cmd-feed-item', { hasText: '浏览器测试：下凹桥区水位计' });
      await item.waitFor();
      assert.equal(await item.getAttribute('data-auto'), 'true');
      assert.match((await item.textContent()) ?? '', /自动解除.*level 回落至 12（< 15），持续 5 分钟/);
    });
    await screen.context().close();
  });
});
