import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function runCli(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/jiesu.mjs', ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

void test('jiesu locate: JSONL in, JSONL out; a malformed line is reported with its number and skipped', async () => {
  const input = [
    JSON.stringify({ id: 'a', body: '朝阳区望京西园三区楼下烧烤店油烟直排' }),
    '{"id": "b", "body": 朝阳}',
    JSON.stringify({ id: 'c', body: '八里庄路灯不亮', lat: 39.923, lng: 116.293 }),
    '',
    JSON.stringify({ id: 'd' }),
    JSON.stringify({ id: 7, body: '请问居住证怎么办理' }),
  ].join('\n');
  const { code, stdout, stderr } = await runCli(['locate'], `${input}\n`);
  const rows = stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((r) => r.id), ['a', 'c', 7]);
  assert.deepEqual(rows[0], {
    id: 'a',
    district: '朝阳区',
    street: '望京街道',
    community: '望京西园三区社区居委会',
    codes: { district: '110105', street: '110105026', community: '110105026051' },
    confidence: rows[0].confidence,
    evidence: rows[0].evidence,
  });
  assert.ok(rows[0].evidence.length > 0);
  assert.equal(rows[1].codes.street, '110108005');
  assert.deepEqual(rows[2].codes, { district: null, street: null, community: null });
  assert.equal(rows[2].confidence, 0);
  assert.match(stderr, /第 2 行/);
  assert.match(stderr, /第 5 行.*body/);
  assert.doesNotMatch(stderr, /第 4 行/);
  assert.equal(code, 1);
});

void test('jiesu locate --help', async () => {
  const { code, stdout } = await runCli(['locate', '--help'], '');
  assert.equal(code, 0);
  assert.match(stdout, /npx jiesu locate < in\.jsonl > out\.jsonl/);
});
