// `npm test`: prepares the shared test database templates once, runs every *.test.ts with node's test runner
// (through tsx), and closes with the plain line `N passed, N failed` that CI reads.
import { spawnSync, spawn } from 'node:child_process';
import { readdirSync, statSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const tsx = require.resolve('tsx');
const only = process.argv.slice(2);

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (/\.test\.ts$/.test(name)) out.push(p);
  }
  return out;
}

const files = (only.length ? only.map((f) => path.resolve(f)) : [...find(path.join(root, 'src')), ...find(path.join(root, 'test'))]).sort();
const artifacts = path.join(root, '.test-artifacts');
mkdirSync(artifacts, { recursive: true });

const prep = spawnSync(process.execPath, ['--import', tsx, path.join(root, 'test/support/prepare.ts')], { stdio: 'inherit', env: { ...process.env, TZ: 'Asia/Shanghai' } });
if (prep.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// One file per run: two runs at once (a developer's and a helper's) must not read each other's counts.
const tap = path.join(artifacts, `results-${process.pid}.tap`);
const child = spawn(
  process.execPath,
  ['--import', tsx, '--test', '--test-concurrency=2', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
  { stdio: 'inherit', env: { ...process.env, TZ: 'Asia/Shanghai', NODE_ENV: 'test' } },
);
child.on('exit', (code) => {
  let pass = 0, fail = 0;
  try {
    const text = readFileSync(tap, 'utf8');
    pass = Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
    fail = Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0);
    rmSync(tap, { force: true });
  } catch { fail = 1; }
  if (code !== 0 && fail === 0) fail = 1;
  console.log(`${pass} passed, ${fail} failed`);
  process.exit(code ?? 1);
});
