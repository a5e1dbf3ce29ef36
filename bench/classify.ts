/**
 * Classifier benchmark: `npx tsx bench/classify.ts` (or `npm run bench classify`).
 *
 * Loads the shipped model (load time, heap and RSS growth), classifies every teddy2020 message one at a time
 * (p50/p99/max latency), and trains on the full files (wall and CPU time). These machines are shared and noisy, so
 * each figure comes with a baseline measured in the same run: normalising + featurising the same text for latency,
 * featurising all rows for training. The teddy2020 parts are skipped, with a message, when the data is missing.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultModelOptions, featurize, loadModel, trainModel } from '../src/intelligence/classify/model.js';
import type { Model, TrainRow } from '../src/intelligence/classify/model.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const MODEL_FILE = path.join(root, 'models/classifier.jiesu.gz');

export type ClassifyBench = {
  modelFile: string;
  modelBytes: number;
  features: number;
  loadMs: number;
  heapDeltaMB: number;
  rssDeltaMB: number;
  /** Absent when the teddy2020 data is missing. */
  latency?: {
    n: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    /** p99 of a single pass, scheduling noise included. */
    singlePassP99Ms: number;
    baselineP50Ms: number;
    baselineP99Ms: number;
    ratioP50: number;
    ratioP99: number;
  };
  training?: { rows: number; wallS: number; cpuS: number; baselineFeaturizeS: number; ratio: number };
  skipped?: string;
};

const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
const quantile = (sorted: Float64Array, q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

function readJsonl(file: string): TrainRow[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as TrainRow);
}

function settle(): void {
  // Only with --expose-gc; otherwise memory deltas include garbage not yet collected.
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Per-call latency of `fn` over `rows` (ms) after one warm-up pass: `single` is one timed pass as it came, `best` the
 * per-row minimum over `passes` passes, which removes most of the scheduling noise of a shared machine.
 */
function perCall(rows: readonly TrainRow[], fn: (r: TrainRow) => unknown, passes: number): { single: Float64Array; best: Float64Array } {
  for (const r of rows) fn(r);
  const best = new Float64Array(rows.length).fill(Infinity);
  let single = new Float64Array(0);
  for (let p = 0; p < passes; p++) {
    const times = new Float64Array(rows.length);
    rows.forEach((r, i) => {
      const t0 = process.hrtime.bigint();
      fn(r);
      times[i] = Number(process.hrtime.bigint() - t0) / 1e6;
      best[i] = Math.min(best[i] ?? Infinity, times[i] ?? 0);
    });
    if (p === 0) single = times.slice().sort();
  }
  return { single, best: best.sort() };
}

/**
 * Run the benchmark and return its figures.
 *
 * @example
 * const figures = await run(); // { loadMs, heapDeltaMB, latency: { p50Ms, p99Ms, … }, training: { wallS, … } }
 */
export async function run(opts: { train?: boolean; log?: (line: string) => void } = {}): Promise<ClassifyBench> {
  const log = opts.log ?? ((line: string) => console.log(line));
  if (!existsSync(MODEL_FILE)) throw new Error(`bench classify: shipped model ${MODEL_FILE} not found (npx jiesu train … --out models/classifier.jiesu.gz)`);
  settle();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const model: Model = loadModel(MODEL_FILE);
  const loadMs = performance.now() - t0;
  settle();
  const mem = process.memoryUsage();
  // Typed arrays live outside the JS heap: count arrayBuffers too.
  const result: ClassifyBench = {
    modelFile: path.relative(root, MODEL_FILE),
    modelBytes: statSync(MODEL_FILE).size,
    features: model.size,
    loadMs: Math.round(loadMs),
    heapDeltaMB: mb(mem.heapUsed - heap0),
    rssDeltaMB: mb(mem.rss - rss0),
  };
  log(
    `classify: model ${result.modelFile} ${(result.modelBytes / 1e6).toFixed(2)} MB, ${result.features.toLocaleString('en-US')} features; ` +
      `load ${result.loadMs} ms, heap +${result.heapDeltaMB} MB, RSS +${result.rssDeltaMB} MB (array buffers ${mb(mem.arrayBuffers)} MB)`,
  );

  const teddy = path.resolve(root, '../shared/data/teddy2020');
  const messagesFile = path.join(teddy, 'messages_labeled.jsonl');
  if (!existsSync(messagesFile)) {
    result.skipped = `teddy2020 data not found at ${teddy}: latency and training skipped`;
    log(`classify: ${result.skipped}`);
    return result;
  }
  const messages = readJsonl(messagesFile);
  const lat = perCall(messages, (r) => model.classify(r), 3);
  const base = perCall(messages, (r) => featurize(r, model.features), 3);
  result.latency = {
    n: messages.length,
    p50Ms: round3(quantile(lat.best, 0.5)),
    p99Ms: round3(quantile(lat.best, 0.99)),
    maxMs: round3(lat.best[lat.best.length - 1] ?? 0),
    singlePassP99Ms: round3(quantile(lat.single, 0.99)),
    baselineP50Ms: round3(quantile(base.best, 0.5)),
    baselineP99Ms: round3(quantile(base.best, 0.99)),
    ratioP50: round3(quantile(lat.best, 0.5) / Math.max(1e-9, quantile(base.best, 0.5))),
    ratioP99: round3(quantile(lat.best, 0.99) / Math.max(1e-9, quantile(base.best, 0.99))),
  };
  const l = result.latency;
  log(
    `classify: latency over ${l.n} messages (best of 3 passes per message) p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, max ${l.maxMs} ms; ` +
      `one pass as measured p99 ${l.singlePassP99Ms} ms; baseline (normalise + featurise) p50 ${l.baselineP50Ms} ms, ` +
      `p99 ${l.baselineP99Ms} ms; ratio p50 ×${l.ratioP50}, p99 ×${l.ratioP99}`,
  );

  if (opts.train !== false) {
    const titlesFile = path.join(teddy, 'titles_labeled.jsonl');
    const rows = [...messages, ...(existsSync(titlesFile) ? readJsonl(titlesFile) : [])];
    const b0 = performance.now();
    for (const r of rows) featurize(r, defaultModelOptions);
    const baselineFeaturizeS = (performance.now() - b0) / 1000;
    const cpu0 = process.cpuUsage();
    const w0 = performance.now();
    trainModel(rows);
    const wallS = (performance.now() - w0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    result.training = {
      rows: rows.length,
      wallS: round3(wallS),
      cpuS: round3((cpu.user + cpu.system) / 1e6),
      baselineFeaturizeS: round3(baselineFeaturizeS),
      ratio: round3(wallS / Math.max(1e-9, baselineFeaturizeS)),
    };
    const t = result.training;
    log(
      `classify: training on ${t.rows} rows (shipped configuration, with calibration) ${t.wallS} s wall, ${t.cpuS} s CPU; ` +
        `baseline (featurise all rows once) ${t.baselineFeaturizeS} s; ratio ×${t.ratio}`,
    );
  }
  return result;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const figures = await run({ train: !process.argv.includes('--no-train') });
  if (process.argv.includes('--json')) console.log(JSON.stringify(figures));
}
