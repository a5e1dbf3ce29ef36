/**
 * What the browser tests share: Debian's Chromium and how to launch it, the screenshot folder, and web/dist built from
 * the current sources. `npm test` builds web/dist once in its preparation step, before test files run in parallel, so
 * two browser test files never build into the same folder at once.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const PASSWORD = 'Jiesu@2026';
export const shots = path.join(root, '.test-artifacts/screenshots');
/** Why browser tests skip on this machine, or null when Chromium is there. */
export const chromiumMissing = !existsSync(CHROMIUM) ? `${CHROMIUM} is missing (apt-get install -y chromium fonts-noto-cjk)` : null;

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = path.join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

/** web/dist as the server serves it, rebuilt when the sources are newer. */
export async function ensureWebBuilt(): Promise<void> {
  const web = path.join(root, 'web');
  const built = path.join(web, 'dist/index.html');
  if (existsSync(built) && statSync(built).mtimeMs >= newest(web)) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(web, 'vite.config.ts'), logLevel: 'warn' });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
}

/**
 * A signed-in page: a new Chinese-locale context at `viewport`, the login form filled as a person would.
 * @example const { page } = await signIn(browser, server.url, 'dispatcher')
 */
export async function signIn(browser: Browser, baseUrl: string, username: string, viewport = { width: 1920, height: 1080 }): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.locator('form').getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return { ctx, page };
}

/**
 * Run one step of a journey; when it fails, keep a screenshot named `{prefix}{name}.png` and say where it is.
 * With `always`, keep the screenshot of a step that passed too.
 */
export async function step(page: Page, file: string, fn: () => Promise<void>, opts: { always?: boolean } = {}): Promise<void> {
  const shot = path.join(shots, `${file.replace(/[^\w\u4e00-\u9fa5-]+/g, '_')}.png`);
  try {
    await fn();
    if (opts.always) await page.screenshot({ path: shot });
  } catch (err) {
    await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
    throw new Error(`step "${file}" failed (screenshot ${path.relative(root, shot)}): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Call the API from the page with its signed-in token (a device key header goes instead of the token). */
export function apiFrom(page: Page, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  return page.evaluate(
    async ([m, u, b, h]) => {
      const { localStorage } = globalThis as unknown as { localStorage: { getItem(key: string): string | null } };
      const all: Record<string, string> = { 'content-type': 'application/json', ...h };
      if (!h['x-device-key']) all.authorization = `Bearer ${localStorage.getItem('jiesu.token') ?? ''}`;
      const r = await fetch(u, { method: m, headers: all, ...(b ? { body: JSON.stringify(b) } : {}) });
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    },
    [method, url, body, headers] as const,
  );
}
