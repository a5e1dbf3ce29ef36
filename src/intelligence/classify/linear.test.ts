import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  csrFromRows,
  decision,
  defaultLinearOptions,
  fitTemperature,
  mulberry32,
  nbLogCountRatio,
  softmax,
  trainBinary,
  trainOneVsRest,
} from './linear.js';

/** Synthetic sparse data: class c lights up features [c*10, c*10+10) plus shared noise features 30…59. */
function synthetic(n: number, seed: number): { rows: { indices: Int32Array; values: Float64Array }[]; y: Int32Array } {
  const rand = mulberry32(seed);
  const rows: { indices: Int32Array; values: Float64Array }[] = [];
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    y[i] = c;
    const set = new Set<number>();
    for (let k = 0; k < 3; k++) set.add(c * 10 + Math.floor(rand() * 10));
    for (let k = 0; k < 5; k++) set.add(30 + Math.floor(rand() * 30));
    const indices = Int32Array.from([...set].sort((a, b) => a - b));
    const v = 1 / Math.sqrt(indices.length);
    rows.push({ indices, values: new Float64Array(indices.length).fill(v) });
  }
  return { rows, y };
}

void test('mulberry32 is deterministic per seed', () => {
  const a = mulberry32(7);
  const b = mulberry32(7);
  const c = mulberry32(8);
  const xs = [a(), a(), a()];
  assert.deepEqual(xs, [b(), b(), b()]);
  assert.notDeepEqual(xs, [c(), c(), c()]);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
});

void test('nbLogCountRatio favours features seen mostly in the class', () => {
  const X = csrFromRows(
    [
      { indices: Int32Array.of(0, 2), values: [1, 1] },
      { indices: Int32Array.of(0), values: [1] },
      { indices: Int32Array.of(1, 2), values: [1, 1] },
    ],
    3,
  );
  const r = nbLogCountRatio(X, Int32Array.of(0, 0, 1), 0, 1);
  assert.ok((r[0] ?? 0) > 0);
  assert.ok((r[1] ?? 0) < 0);
  assert.ok(Math.abs(r[2] ?? 0) < (r[0] ?? 0));
});

void test('trainBinary separates a separable problem and satisfies the margin', () => {
  const X = csrFromRows(
    [
      { indices: Int32Array.of(0), values: [1] },
      { indices: Int32Array.of(0, 2), values: [0.7, 0.7] },
      { indices: Int32Array.of(1), values: [1] },
      { indices: Int32Array.of(1, 2), values: [0.7, 0.7] },
    ],
    3,
  );
  const sign = Int8Array.of(1, 1, -1, -1);
  const { w, b } = trainBinary(X, X.values, sign, new Float64Array(4).fill(10), { ...defaultLinearOptions, tolerance: 1e-4, maxEpochs: 1000 });
  for (let i = 0; i < 4; i++) {
    let s = b;
    for (let k = X.indptr[i] ?? 0; k < (X.indptr[i + 1] ?? 0); k++) s += (w[X.indices[k] ?? 0] ?? 0) * (X.values[k] ?? 0);
    assert.ok((sign[i] ?? 0) * s > 0.9, `row ${i} margin ${s}`);
  }
});

void test('trainOneVsRest learns three synthetic classes and generalises', () => {
  const train = synthetic(300, 1);
  const testSet = synthetic(150, 2);
  const X = csrFromRows(train.rows, 60);
  const model = trainOneVsRest(X, train.y, 3, defaultLinearOptions);
  let correct = 0;
  testSet.rows.forEach((r, i) => {
    const s = decision(model, r.indices, r.values);
    const best = s.indexOf(Math.max(...s));
    if (best === testSet.y[i]) correct++;
  });
  assert.ok(correct / testSet.rows.length > 0.95, `accuracy ${correct / testSet.rows.length}`);
});

void test('trainOneVsRest is deterministic for a seed and reports progress per class', () => {
  const train = synthetic(120, 3);
  const X = csrFromRows(train.rows, 60);
  const seen: number[] = [];
  const a = trainOneVsRest(X, train.y, 3, defaultLinearOptions, (p) => seen.push(p.classIndex));
  const b = trainOneVsRest(X, train.y, 3, defaultLinearOptions);
  assert.deepEqual(seen, [0, 1, 2]);
  assert.deepEqual(a.weights, b.weights);
  assert.deepEqual(a.bias, b.bias);
});

void test('softmax sums to one and sharpens as temperature falls', () => {
  const p1 = softmax([1, 0, -1], 1);
  const p2 = softmax([1, 0, -1], 0.2);
  assert.ok(Math.abs(p1.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok((p2[0] ?? 0) > (p1[0] ?? 0));
  assert.ok(softmax([1000, 0])[0] === 1, 'stable for large margins');
});

void test('fitTemperature: confident and right → small T; right half the time → large T', () => {
  const margins = Array.from({ length: 40 }, () => Float64Array.of(1, -1));
  assert.ok(fitTemperature(margins, new Int32Array(40)) < 0.2);
  const coin = Int32Array.from({ length: 40 }, (_, i) => i % 2);
  assert.ok(fitTemperature(margins, coin) > 5);
});
