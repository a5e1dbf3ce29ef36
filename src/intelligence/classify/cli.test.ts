// The `jiesu train | classify | eval` commands, run as a user would: node bin/jiesu.mjs from the repository root.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from './linear.js';
import { saveModel, trainModel } from './model.js';
import type { TrainRow } from './model.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function runCli(args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
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

/** Labelled JSONL of two synthetic classes (topic words among filler). */
function trainingJsonl(n: number): string {
  const rand = mulberry32(11);
  const topics: Record<string, string[]> = { 环境保护: ['噪音', '污染', '排放', '垃圾', '油烟'], 卫生计生: ['医院', '医生', '疫苗', '药品', '看病'] };
  const filler = ['我们', '希望', '领导', '解决', '问题', '反映', '尽快', '部门'];
  const pick = (xs: string[]): string => xs[Math.floor(rand() * xs.length)] ?? '';
  const labels = Object.keys(topics);
  return Array.from({ length: n }, (_, i) => {
    const label = labels[i % 2] ?? '';
    const topic = topics[label] ?? [];
    const body = Array.from({ length: 16 }, () => (rand() < 0.35 ? pick(topic) : pick(filler))).join('');
    return JSON.stringify({ title: rand() < 0.5 ? pick(topic) : '', body, label });
  }).join('\n');
}

const dir = mkdtempSync(path.join(tmpdir(), 'jiesu-cli-classify-'));
const data = path.join(dir, 'train.jsonl');
const model = path.join(dir, 'model.jiesu.gz');
writeFileSync(data, `${trainingJsonl(120)}\n`);
// The classify tests use a model trained in-process, so they do not depend on the train command's test.
before(() => {
  const rows = trainingJsonl(120)
    .split('\n')
    .map((l) => JSON.parse(l) as TrainRow);
  saveModel(trainModel(rows), model);
});
after(() => rmSync(dir, { recursive: true, force: true }));

void test('jiesu train writes a model, shows progress and the time taken', async () => {
  const out = path.join(dir, 'trained.jiesu.gz');
  const { code, stdout, stderr } = await runCli(['train', '--data', data, '--out', out]);
  assert.equal(code, 0, stderr);
  assert.ok(existsSync(out));
  assert.ok(stdout.includes(`wrote ${out}`), stdout);
  assert.match(stdout, /training took [\d.]+ s/);
  assert.match(stderr, /100% \(120\/120\)/);
});

void test('jiesu classify: JSONL in and out; bad lines reported by number and skipped, exit 1', async () => {
  const input = [
    JSON.stringify({ id: 'a', title: '噪音扰民', body: '工地夜间施工噪音污染严重，希望部门尽快解决' }),
    '{"id": "b", "body": 噪音}',
    JSON.stringify({ id: 'c', body: '医院看病排队太久，医生态度差' }),
    '',
    JSON.stringify({ title: '没有编号' }),
    JSON.stringify({ id: 4, body: 'x'.repeat(10) + '医院'.repeat(1500) }),
    JSON.stringify({ id: 'e', title: '', body: '' }),
    JSON.stringify({ id: 'f', body: 42 }),
  ].join('\n');
  const { code, stdout, stderr } = await runCli(['classify', '--model', model], `${input}\n`);
  const rows = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string | number; label: string; confidence: number; alternatives: unknown[]; truncated?: boolean });
  assert.deepEqual(
    rows.map((r) => r.id),
    ['a', 'c', 4, 'e'],
  );
  assert.equal(rows[0]?.label, '环境保护');
  assert.equal(rows[1]?.label, '卫生计生');
  assert.equal(rows[0]?.truncated, undefined, 'truncated only appears when a text was cut');
  assert.equal(rows[2]?.truncated, true);
  assert.ok((rows[3]?.confidence ?? 1) <= 0.5, 'an empty request gets a low confidence');
  assert.ok(rows.every((r) => Array.isArray(r.alternatives)));
  assert.match(stderr, /第 2 行 line 2: JSON/);
  assert.match(stderr, /第 5 行 line 5: .*id/);
  assert.match(stderr, /第 8 行 line 8: body/);
  assert.doesNotMatch(stderr, /第 4 行/);
  assert.match(stderr, /3 malformed line/);
  assert.equal(code, 1);
});

void test('jiesu classify with a missing model file names the file and exits 1', async () => {
  const missing = path.join(dir, 'no-such-model.jiesu.gz');
  const { code, stdout, stderr } = await runCli(['classify', '--model', missing], '{"id":1,"body":"噪音"}\n');
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.ok(stderr.includes(missing), stderr);
});

void test('jiesu eval --json cross-validates and reports per-class figures', async () => {
  const { code, stdout, stderr } = await runCli(['eval', '--data', data, '--folds', '3', '--holdout', '0.3', '--json']);
  assert.equal(code, 0, stderr);
  const r = JSON.parse(stdout) as {
    crossValidation: { meanMacroF1: number; pooled: { perClass: { label: string; f1: number }[] } };
    holdout: { metrics: { macroF1: number } };
  };
  assert.ok(r.crossValidation.meanMacroF1 > 0.9, String(r.crossValidation.meanMacroF1));
  assert.deepEqual(r.crossValidation.pooled.perClass.map((c) => c.label).sort(), ['卫生计生', '环境保护']);
  assert.ok(r.holdout.metrics.macroF1 > 0.9);
  assert.match(stderr, /fold 3\/3/);
});

void test('jiesu train refuses malformed data and writes nothing', async () => {
  const badData = path.join(dir, 'bad.jsonl');
  const out = path.join(dir, 'never.jiesu.gz');
  writeFileSync(badData, `${trainingJsonl(10)}\n{"title": "无标签"}\nnot json\n`);
  const { code, stderr } = await runCli(['train', '--data', badData, '--out', out]);
  assert.equal(code, 1);
  assert.match(stderr, /第 11 行 line 11: .*label/);
  assert.match(stderr, /第 12 行 line 12: JSON/);
  assert.equal(existsSync(out), false);
});

void test('each command documents its options in --help; bad options exit 2', async () => {
  for (const [cmd, options] of [
    ['train', ['--data', '--out', '--seed']],
    ['classify', ['--model', '--evidence']],
    ['eval', ['--data', '--folds', '--extra', '--holdout', '--json']],
  ] as const) {
    const { code, stdout } = await runCli([cmd, '--help']);
    assert.equal(code, 0);
    for (const o of options) assert.ok(stdout.includes(o), `${cmd} --help mentions ${o}`);
  }
  assert.equal((await runCli(['eval', '--folds', '5'])).code, 2);
  assert.equal((await runCli(['classify', '--bogus'])).code, 2);
});

