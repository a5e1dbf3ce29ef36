/**
 * Measuring the classifier honestly: metrics (accuracy, macro-F1, per-class P/R/F1, confusion matrix), grouped and
 * stratified k-fold cross-validation and a grouped hold-out split.
 *
 * Near-duplicate messages (the same body posted twice, sometimes with different labels) are grouped by normalised text
 * and a group never straddles train and test. Extra title-only rows join every training part, minus those whose
 * normalised title equals a test row's title.
 */
import { normalizeText } from '../text/features.js';
import { mulberry32 } from './linear.js';
import { trainModel } from './model.js';
import type { Model, ModelOptionsInput, TrainRow } from './model.js';

export type ClassMetrics = { label: string; precision: number; recall: number; f1: number; support: number };
export type Metrics = {
  n: number;
  accuracy: number;
  macroF1: number;
  perClass: ClassMetrics[];
  /** confusion[t][p]: rows of true label t predicted as p, in `labels` order. */
  confusion: number[][];
  labels: string[];
};

/**
 * Accuracy, macro-F1 (unweighted mean of per-class F1), per-class precision/recall/F1 and the confusion matrix.
 *
 * @example
 * computeMetrics(['a', 'b', 'b'], ['a', 'b', 'a']).macroF1; // → 0.6667
 */
export function computeMetrics(truth: readonly string[], predicted: readonly string[], labels?: readonly string[]): Metrics {
  if (truth.length !== predicted.length) throw new Error(`computeMetrics: ${truth.length} true labels but ${predicted.length} predictions`);
  const names = labels ? [...labels] : [...new Set([...truth, ...predicted])].sort();
  const at = new Map(names.map((l, i) => [l, i]));
  const confusion = names.map(() => names.map(() => 0));
  let correct = 0;
  truth.forEach((t, i) => {
    const p = predicted[i] ?? '';
    const ti = at.get(t);
    const pi = at.get(p);
    if (t === p) correct++;
    if (ti !== undefined && pi !== undefined) (confusion[ti] as number[])[pi] = ((confusion[ti] as number[])[pi] ?? 0) + 1;
  });
  const perClass = names.map((label, c) => {
    const tp = confusion[c]?.[c] ?? 0;
    const support = (confusion[c] ?? []).reduce((a, b) => a + b, 0);
    const predictedAs = confusion.reduce((a, row) => a + (row[c] ?? 0), 0);
    const precision = predictedAs > 0 ? tp / predictedAs : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const macroF1 = perClass.length ? perClass.reduce((a, m) => a + m.f1, 0) / perClass.length : 0;
  return { n: truth.length, accuracy: truth.length ? correct / truth.length : 0, macroF1, perClass, confusion, labels: names };
}

/** Letters and digits of the normalised text: punctuation and whitespace differ between copies of one message. */
function textKey(s: string | null | undefined): string {
  return normalizeText(s ?? '', 100_000).text.replace(/[^\p{L}\p{N}]/gu, '');
}

/** Body prefix length that identifies a message: copies differ at their ends (cut or edited), not at their starts. */
const BODY_KEY_CHARS = 50;
/** Titles shorter than this are too generic ("咨询") to say two messages are the same. */
const TITLE_KEY_MIN = 6;

/**
 * Group ids for rows that are (near-)copies of each other: same normalised body start, or same normalised title
 * (union-find over both keys).
 *
 * @example
 * duplicateGroups([{ body: '停水了！' }, { body: '停水了' }, { body: '路灯坏了' }]); // → Int32Array [0, 0, 2]
 */
export function duplicateGroups(rows: readonly { title?: string | null; body?: string | null }[]): Int32Array {
  const parent = Int32Array.from(rows, (_, i) => i);
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] ?? r;
    while (parent[i] !== r) {
      const next = parent[i] ?? r;
      parent[i] = r;
      i = next;
    }
    return r;
  };
  const owner = new Map<string, number>();
  const link = (key: string, i: number): void => {
    const j = owner.get(key);
    if (j === undefined) owner.set(key, i);
    else {
      const a = find(i);
      const b = find(j);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  };
  rows.forEach((r, i) => {
    const body = textKey(r.body);
    if (body.length > 0) link(`b:${body.slice(0, BODY_KEY_CHARS)}`, i);
    const title = textKey(r.title);
    if (title.length >= TITLE_KEY_MIN) link(`t:${title}`, i);
  });
  return Int32Array.from(rows, (_, i) => find(i));
}

/**
 * Assign rows to `k` folds so that a duplicate group stays in one fold and each label is spread evenly (groups are
 * visited in a seeded random order and each goes to the fold with the fewest rows of its first row's label).
 *
 * @example
 * const fold = groupedStratifiedFolds(labels, duplicateGroups(rows), 5, 1); // fold[i] in 0…4
 */
export function groupedStratifiedFolds(labels: readonly string[], groups: Int32Array, k: number, seed: number): Int32Array {
  const members = new Map<number, number[]>();
  groups.forEach((g, i) => {
    const list = members.get(g);
    if (list) list.push(i);
    else members.set(g, [i]);
  });
  const ids = [...members.keys()].sort((a, b) => a - b);
  const rand = mulberry32(seed);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ids[i], ids[j]] = [ids[j] ?? 0, ids[i] ?? 0];
  }
  const perLabel = new Map<string, number[]>();
  const sizes = new Array<number>(k).fill(0);
  const fold = new Int32Array(labels.length);
  for (const g of ids) {
    const rowsOf = members.get(g) ?? [];
    const label = labels[rowsOf[0] ?? 0] ?? '';
    const counts = perLabel.get(label) ?? new Array<number>(k).fill(0);
    perLabel.set(label, counts);
    let best = 0;
    for (let f = 1; f < k; f++) {
      const c = counts[f] ?? 0;
      const b = counts[best] ?? 0;
      if (c < b || (c === b && (sizes[f] ?? 0) < (sizes[best] ?? 0))) best = f;
    }
    for (const i of rowsOf) {
      fold[i] = best;
      counts[best] = (counts[best] ?? 0) + 1;
      sizes[best] = (sizes[best] ?? 0) + 1;
    }
  }
  return fold;
}

export type EvalOptions = {
  /** Model options for every training part; calibration is off unless asked for (it does not change labels). */
  model?: ModelOptionsInput;
  /** Extra labelled rows (e.g. titles only) added to every training part, never to a test part. */
  extra?: readonly TrainRow[];
  seed?: number;
};

/** Extra rows whose title matches no test row's title: a title of a test message must not train its own test. */
function extraFor(extra: readonly TrainRow[] | undefined, test: readonly TrainRow[]): TrainRow[] {
  if (!extra?.length) return [];
  const testTitles = new Set(test.map((r) => textKey(r.title)).filter((k) => k.length > 0));
  return extra.filter((r) => !testTitles.has(textKey(r.title)));
}

function predictAll(model: Model, rows: readonly TrainRow[]): string[] {
  return rows.map((r) => model.classify(r).label);
}

export type CrossValidation = {
  folds: Metrics[];
  /** Metrics over all out-of-fold predictions pooled. */
  pooled: Metrics;
  meanMacroF1: number;
  stdMacroF1: number;
  meanAccuracy: number;
  /** Rows that share a duplicate group with an earlier row (kept together in one fold). */
  duplicateRows: number;
};

/**
 * Grouped, stratified k-fold cross-validation: train on k−1 folds (+ extra rows), predict the held-out fold.
 *
 * @example
 * const cv = crossValidate(rows, 5, { seed: 1 });
 * console.log(cv.meanMacroF1, cv.pooled.perClass);
 */
export function crossValidate(
  rows: readonly TrainRow[],
  k = 5,
  opts: EvalOptions = {},
  onFold?: (done: number, total: number, m: Metrics) => void,
): CrossValidation {
  if (k < 2) throw new Error(`crossValidate: need at least 2 folds, got ${k}`);
  const seed = opts.seed ?? 1;
  const groups = duplicateGroups(rows);
  const fold = groupedStratifiedFolds(
    rows.map((r) => r.label),
    groups,
    k,
    seed,
  );
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  const predicted = new Array<string>(rows.length).fill('');
  const folds: Metrics[] = [];
  for (let f = 0; f < k; f++) {
    const train = rows.filter((_, i) => fold[i] !== f);
    const testIdx = rows.map((_, i) => i).filter((i) => fold[i] === f);
    const test = testIdx.map((i) => rows[i] as TrainRow);
    const model = trainModel([...train, ...extraFor(opts.extra, test)], { calibrationShare: 0, ...opts.model });
    const pred = predictAll(model, test);
    testIdx.forEach((i, p) => (predicted[i] = pred[p] ?? ''));
    const m = computeMetrics(
      test.map((r) => r.label),
      pred,
      labels,
    );
    folds.push(m);
    onFold?.(f + 1, k, m);
  }
  const f1s = folds.map((m) => m.macroF1);
  const mean = f1s.reduce((a, b) => a + b, 0) / k;
  const std = Math.sqrt(f1s.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, k - 1));
  return {
    folds,
    pooled: computeMetrics(
      rows.map((r) => r.label),
      predicted,
      labels,
    ),
    meanMacroF1: mean,
    stdMacroF1: std,
    meanAccuracy: folds.reduce((a, m) => a + m.accuracy, 0) / k,
    duplicateRows: rows.length - new Set(groups).size,
  };
}

export type Holdout = {
  metrics: Metrics;
  /** Expected calibration error of `confidence` over 10 equal-width bins. */
  calibrationError: number;
  /** Mean negative log-likelihood of the true label under the model's confidences. */
  logLoss: number;
  trainRows: number;
  testRows: number;
  model: Model;
};

/**
 * Train on a grouped, stratified `1 − testShare` of rows (+ extra rows) with calibration on, test on the rest.
 *
 * @example
 * holdout(rows, 0.3, { seed: 1 }).metrics.macroF1;
 */
export function holdout(rows: readonly TrainRow[], testShare = 0.3, opts: EvalOptions = {}): Holdout {
  // Ten grouped, stratified folds; the first round(10 × share) of them form the test part.
  const fold = groupedStratifiedFolds(
    rows.map((r) => r.label),
    duplicateGroups(rows),
    10,
    opts.seed ?? 1,
  );
  const testFolds = Math.max(1, Math.min(9, Math.round(10 * testShare)));
  const train = rows.filter((_, i) => (fold[i] ?? 0) >= testFolds);
  const test = rows.filter((_, i) => (fold[i] ?? 0) < testFolds);
  const model = trainModel([...train, ...extraFor(opts.extra, test)], { ...opts.model });
  const results = test.map((r) => model.classify(r));
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  const metrics = computeMetrics(
    test.map((r) => r.label),
    results.map((r) => r.label),
    labels,
  );
  const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, correct: 0 }));
  let logLoss = 0;
  results.forEach((r, i) => {
    const truth = test[i]?.label;
    const bin = bins[Math.min(9, Math.floor(r.confidence * 10))];
    if (bin) {
      bin.n++;
      bin.conf += r.confidence;
      bin.correct += r.label === truth ? 1 : 0;
    }
    const p = r.label === truth ? r.confidence : (r.alternatives.find((a) => a.label === truth)?.confidence ?? 0);
    logLoss -= Math.log(Math.max(p, 1e-4));
  });
  const calibrationError = bins.reduce((a, b) => a + (b.n ? Math.abs(b.conf - b.correct) : 0), 0) / Math.max(1, results.length);
  return { metrics, calibrationError, logLoss: logLoss / Math.max(1, results.length), trainRows: train.length, testRows: test.length, model };
}

const pct = (v: number): string => (v * 100).toFixed(1).padStart(5);

/**
 * A plain-text report: accuracy, macro-F1 and a per-class precision/recall/F1/support table.
 *
 * @example
 * process.stdout.write(formatMetrics(cv.pooled));
 */
export function formatMetrics(m: Metrics): string {
  const width = Math.max(8, ...m.labels.map((l) => l.length * 2));
  const pad = (s: string): string => s + ' '.repeat(Math.max(0, width - [...s].reduce((a, ch) => a + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)));
  const lines = [
    `rows ${m.n}   accuracy ${pct(m.accuracy).trim()}%   macro-F1 ${m.macroF1.toFixed(4)}`,
    '',
    `${pad('label')}  precision  recall     F1  support`,
    ...m.perClass.map((c) => `${pad(c.label)}      ${pct(c.precision)}   ${pct(c.recall)}  ${pct(c.f1)}  ${String(c.support).padStart(7)}`),
  ];
  return `${lines.join('\n')}\n`;
}
