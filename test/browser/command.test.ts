/**
 * The command screen (指挥大屏) in a real browser against a real server: the city leader's screen shows the 16
 * districts and coloured tiles and drills into 朝阳区; the district leader's opens on 朝阳区 and cannot look at
 * 东城区; the dispatcher dispatches a review-queue order with one click. Needs /usr/bin/chromium (skips without it).
 * A failing step leaves a screenshot in .test-artifacts/screenshots/.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Page } from 'playwright-core';
import { apiFrom, chromiumMissing, signIn, step } from '../support/browser.js';
import { browserSuite } from '../support/browserSuite.js';

const why = chromiumMissing;

describe('command screen in the browser', { skip: why ?? false }, () => {
  const suite = browserSuite();
  const signInAs = async (username: string): Promise<Page> => (await signIn(suite.browser, suite.server.url, username)).page;
  const stepOf = (page: Page, name: string, fn: () => Promise<void>) => step(page, `command_${name}`, fn);
  const apiCall = apiFrom;

  test('the city leader sees every district with coloured tiles and drills into 朝阳区', async () => {
    const page = await signInAs('leader');
    await stepOf(page, 'city', async () => {
      await page.goto(`${suite.server.url}/command`);
      await page.locator('.cmd-title', { hasText: '北京市' }).waitFor();
      await page.locator('.cmd-rank li').nth(15).waitFor();
      assert.equal(await page.locator('.cmd-rank li').count(), 16);
      assert.ok((await page.locator('.cmd-tile').count()) >= 7);
      assert.equal(await page.locator('.cmd-tile[data-key="rates.satisfaction"]').getAttribute('data-colour'), 'none', 'no follow-ups yet: no colour, not red');
      await page.locator('.cmd-chart canvas').first().waitFor();
    });
    await stepOf(page, 'drill', async () => {
      await page.locator('.cmd-rank-row', { hasText: '朝阳区' }).click();
      await page.locator('.cmd-title', { hasText: '朝阳区' }).waitFor();
      await page.locator('.cmd-rank li').nth(42).waitFor();
      assert.equal(await page.locator('.cmd-rank li').count(), 43);
      assert.match((await page.locator('.cmd-trail').textContent()) ?? '', /北京市.*朝阳区/);
    });
    await page.context().close();
  });

  test('a district leader opens on 朝阳区 and is refused 东城区', async () => {
    const page = await signInAs('leader_cy');
    await stepOf(page, 'district', async () => {
      await page.goto(`${suite.server.url}/command`);
      await page.locator('.cmd-title', { hasText: '朝阳区' }).waitFor();
      await page.goto(`${suite.server.url}/command?unit=110101`);
      await page.locator('.cmd-error', { hasText: '无权查看' }).waitFor();
    });
    await page.context().close();
  });

  test('the dispatcher dispatches a review-queue order with one click', async () => {
    const page = await signInAs('dispatcher');
    const made = await apiCall(page, 'POST', '/api/v1/requests', { type: 'complaint', title: '望京西园路灯不亮', body: '朝阳区望京西园三区门口路灯连续三晚不亮', channel: 'hotline', districtCode: '110105', streetCode: '110105026', dispatch: 'review' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const order = made.body.order as { id: string; no: string; state: string };
    assert.equal(order.state, 'pending_review');
    await stepOf(page, 'dispatch', async () => {
      await page.goto(`${suite.server.url}/command`);
      const row = page.locator('.cmd-feed-item', { hasText: '望京西园路灯不亮' }).first();
      await row.getByRole('button', { name: '一键派单' }).click();
      await page.locator('.ant-popover', { hasText: '派至' }).waitFor();
      await page.locator('.ant-popover .ant-btn-primary').click();
      await page.locator('.ant-message', { hasText: order.no }).waitFor();
    });
    const after = await apiCall(page, 'GET', `/api/v1/orders/${order.id}`);
    assert.equal((after.body as { state: string }).state, 'dispatched');
    await page.context().close();
  });
});
