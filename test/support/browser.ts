/**
 * What the browser tests share: Debian's Chromium and how to launch it, the screenshot folder, and web/dist built from
 * the current sources. `npm test` builds web/dist once in its preparation step, before test files run in parallel, so
 * two browser test files never build into the same folder at once.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

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
