import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { mulberry32 } from './linear.js';
import { loadModel, saveModel, trainModel } from './model.js';
import type { Model, TrainRow } from './model.js';
import { MAX_BODY_CHARS } from '../text/features.js';

const TOPICS: Record<string, string[]> = {
  城乡建设: ['小区', '物业', '拆迁', '房屋', '施工', '停水', '路灯', '开发商'],
  教育文体: ['学校', '老师', '学生', '学费', '招生', '幼儿园', '教师', '课程'],
  交通运输: ['公交', '车辆', '道路', '驾驶', '出租车', '停车', '地铁', '客运'],
};
const FILLER = ['我们', '希望', '领导', '解决', '问题', '反映', '请求', '尽快', '相关', '部门', '情况', '市民', '您好', '谢谢'];

/** Seeded synthetic requests: a few topic words of the label among common filler words. */
function syntheticRows(n: number, seed: number): TrainRow[] {
  const rand = mulberry32(seed);
  const pick = (xs: readonly string[]): string => xs[Math.floor(rand() * xs.length)] ?? '';
  const labels = Object.keys(TOPICS);
  return Array.from({ length: n }, (_, i) => {
    const label = labels[i % labels.length] ?? '';
    const topic = TOPICS[label] ?? [];
    const words = Array.from({ length: 20 }, () => (rand() < 0.3 ? pick(topic) : pick(FILLER)));
    const title = rand() < 0.5 ? `${pick(topic)}${pick(FILLER)}` : '';
    return { title, body: words.join(''), label };
  });
}

let cached: Model | undefined;
function toyModel(): Model {
  cached ??= trainModel(syntheticRows(300, 1), { calibrationShare: 0.2 });
  return cached;
}

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'jiesu-classify-'));
}

void test('a toy model separates synthetic classes it has not seen', () => {
  const model = toyModel();
  const test = syntheticRows(150, 99);
  const correct = test.filter((r) => model.classify(r).label === r.label).length;
  assert.ok(correct / test.length > 0.95, `accuracy ${correct / test.length}`);
  assert.deepEqual([...model.labels], ['交通运输', '城乡建设', '教育文体']);
});

void test('classify returns a confidence, ranked alternatives and evidence from the text', () => {
  const r = toyModel().classify({ title: '学校乱收学费', body: '孩子的学校老师要求学生交学费，我们希望相关部门尽快解决。' });
  assert.equal(r.label, '教育文体');
  assert.ok(r.confidence > 0.5 && r.confidence <= 1, `confidence ${r.confidence}`);
  assert.ok(r.alternatives.every((a) => a.label !== r.label && a.confidence <= r.confidence));
  for (let i = 1; i < r.alternatives.length; i++) assert.ok((r.alternatives[i - 1]?.confidence ?? 0) >= (r.alternatives[i]?.confidence ?? 0));
  const total = r.confidence + r.alternatives.reduce((a, b) => a + b.confidence, 0);
  assert.ok(total <= 1.0001, `confidences sum to ${total}`);
  assert.equal(r.truncated, false);
  assert.ok(r.evidence.length > 0);
  assert.ok(
    r.evidence.some((e) => /学|老师|学费/.test(e)),
    `evidence ${r.evidence.join(',')}`,
  );
});

void test('calibration fits a temperature other than 1', () => {
  const t = toyModel().temperature;
  assert.ok(t > 0 && t !== 1, `temperature ${t}`);
});

void test('empty text and text with no Chinese still get a result, with low confidence', () => {
  const model = toyModel();
  for (const doc of [{ title: '', body: '' }, {}, { title: null, body: '   ' }, { title: 'hello', body: 'qwerty 12345 !!!' }]) {
    const r = model.classify(doc);
    assert.ok(model.labels.includes(r.label));
    assert.ok(r.confidence <= 1 / model.labels.length + 1e-9, `confidence ${r.confidence} for ${JSON.stringify(doc)}`);
    assert.deepEqual(r.evidence, []);
  }
});

void test('a long body is cut and flagged; a normal one is not', () => {
  const model = toyModel();
  const long = model.classify({ title: '', body: '小区物业停水'.repeat(Math.ceil(MAX_BODY_CHARS / 6) + 10) });
  assert.equal(long.truncated, true);
  assert.equal(long.label, '城乡建设');
  assert.equal(model.classify({ title: '', body: '小区物业停水' }).truncated, false);
  assert.equal(model.classify({ title: '停'.repeat(500), body: '' }).truncated, true, 'long titles are cut too');
});

void test('save → load gives identical predictions and margins', () => {
  const dir = tempDir();
  try {
    const model = toyModel();
    const file = path.join(dir, 'sub', 'toy.jiesu.gz');
    saveModel(model, file);
    const loaded = loadModel(file);
    assert.deepEqual([...loaded.labels], [...model.labels]);
    assert.equal(loaded.temperature, model.temperature);
    assert.equal(loaded.size, model.size);
    for (const r of syntheticRows(60, 7)) {
      assert.deepEqual(loaded.classify(r), model.classify(r));
      assert.deepEqual(loaded.margins(r), model.margins(r));
    }
    const text = readFileSync(file).toString('latin1');
    assert.ok(!text.includes('我们希望'), 'no training text in the file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('training is deterministic for the same rows and seed', () => {
  const rows = syntheticRows(90, 5);
  const a = trainModel(rows, { calibrationShare: 0.2 });
  const b = trainModel(rows, { calibrationShare: 0.2 });
  assert.deepEqual(a.quantized, b.quantized);
  assert.deepEqual(a.keys, b.keys);
  assert.equal(a.temperature, b.temperature);
});

void test('trainModel reports progress and refuses data with fewer than two labels', () => {
  const phases = new Set<string>();
  trainModel(syntheticRows(60, 3), { calibrationShare: 0.2 }, (e) => {
    assert.ok(e.done <= e.total);
    phases.add(e.phase);
  });
  assert.deepEqual([...phases].sort(), ['calibration', 'features', 'training']);
  assert.throws(() => trainModel([]), /no training rows/);
  assert.throws(() => trainModel([{ title: 'a', body: 'b', label: 'x' }]), /two labels/);
});

void test('a missing or corrupt model file throws an error naming the file', () => {
  const dir = tempDir();
  try {
    const good = path.join(dir, 'good.jiesu.gz');
    saveModel(toyModel(), good);
    const bytes = readFileSync(good);
    const cases: [string, Buffer | null][] = [
      ['missing.jiesu.gz', null],
      ['garbage.jiesu.gz', Buffer.from('this is not a model')],
      ['wrong-magic.jiesu.gz', gzipSync(Buffer.from('NOTAMODEL and then some bytes'))],
      ['cut.jiesu.gz', bytes.subarray(0, Math.floor(bytes.length / 2))],
      ['short-payload.jiesu.gz', gzipSync(Buffer.concat([Buffer.from('JIESUCLS'), Buffer.from([5, 0, 0, 0]), Buffer.from('{"a":')]))],
    ];
    for (const [name, content] of cases) {
      const file = path.join(dir, name);
      if (content) writeFileSync(file, content);
      assert.throws(
        () => loadModel(file),
        (err: unknown) => err instanceof Error && err.message.includes(file),
        name,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const teddy = path.resolve(root, '../shared/data/teddy2020/messages_labeled.jsonl');
const shipped = path.join(root, 'models/classifier.jiesu.gz');

void test('the shipped model loads and labels teddy2020 messages (smoke test)', (t) => {
  if (!existsSync(teddy)) return t.skip(`teddy2020 data not found at ${teddy}`);
  if (!existsSync(shipped)) return t.skip(`shipped model not found at ${shipped}`);
  const model = loadModel(shipped);
  assert.equal(model.labels.length, 7);
  const rows = readFileSync(teddy, 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, 300)
    .map((l) => JSON.parse(l) as TrainRow);
  // The shipped model saw these rows: this checks the file works, not how well it generalises (see docs/intelligence.md).
  const correct = rows.filter((r) => model.classify(r).label === r.label).length;
  assert.ok(correct / rows.length > 0.9, `accuracy ${correct / rows.length}`);
  for (const body of ['hello world 12345', '!!!???', '你好', '']) {
    const r = model.classify({ title: '', body });
    assert.ok(r.confidence < 0.5, `${JSON.stringify(body)} → ${r.label} ${r.confidence}`);
  }
  assert.ok(model.classify({ title: '小区停水三天', body: '我们小区已经停水三天了，物业不管。' }).confidence <= 0.9999);
});
