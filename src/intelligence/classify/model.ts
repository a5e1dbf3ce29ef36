/**
 * The request classifier: character n-grams of title and body → one-vs-rest NB-SVM → softmax with a fitted
 * temperature. `trainModel` builds a `Model`; `saveModel`/`loadModel` keep it in a small gzip'd binary file.
 *
 * File format (`jiesu-classifier`, version 1), gzip'd:
 *   "JIESUCLS" (8 bytes) | u32 LE header length | header JSON (utf-8)
 *   | vocabulary: per feature u8 block, u8 n, n × u16 LE code units
 *   | Int16 LE weights, feature-major (nFeatures × nClasses), each × header.scale.
 * Only weights and n-gram keys are stored, never training text. Features whose weights are all tiny are pruned.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import {
  BLOCK_BODY,
  BLOCK_TITLE,
  KeyIndex,
  MAX_BODY_CHARS,
  MAX_NGRAM,
  MAX_TITLE_CHARS,
  countTerms,
  decodeNgramKey,
  foldDigits,
  ngramKey,
  ngramKeys,
  normalizeText,
  vectorize,
} from '../text/features.js';
import type { SparseVector, TermCounts } from '../text/features.js';
import { csrFromRows, decision, defaultLinearOptions, fitTemperature, mulberry32, softmax, trainOneVsRest } from './linear.js';
import type { LinearModel, LinearTrainOptions } from './linear.js';

export const MODEL_FORMAT = 'jiesu-classifier';
export const MODEL_VERSION = 1;
const MAGIC = 'JIESUCLS';

/** A request to classify; either part may be empty. */
export type ClassifyInput = { title?: string | null; body?: string | null };
/** A labelled training row; title-only rows (extra labelled titles) have an empty body. */
export type TrainRow = ClassifyInput & { label: string };

export type LabelConfidence = { label: string; confidence: number };
export type Classification = {
  label: string;
  /** Probability-like confidence in [0, 1]: softmax of the class margins over a temperature fitted on held-out rows. */
  confidence: number;
  /** The next best labels (up to 3, those with confidence ≥ 0.01), best first. */
  alternatives: LabelConfidence[];
  /** True when the title or body was longer than the classifier reads and was cut. */
  truncated: boolean;
  /** The (up to 5) n-grams that most favour `label` over the runner-up, strongest first; title n-grams are marked "标题:". */
  evidence: string[];
};

/** What turns a request into features; stored in the model file so prediction matches training. */
export type FeatureOptions = {
  /** Longest character n-gram (1…3). */
  ngramMax: number;
  /** Weight of the title block against the body block (each block is L2-normalised first). */
  titleWeight: number;
  /** 1 + ln(tf) instead of raw counts. */
  sublinear: boolean;
  /** Replace digits with 0 before taking n-grams. */
  foldDigits: boolean;
  maxTitleChars: number;
  maxBodyChars: number;
};

export type ModelOptions = FeatureOptions & {
  /** Keep n-grams seen in at least this many training rows. */
  minDf: number;
  /** Share of rows held out to fit the softmax temperature (the final model then trains on all rows); 0 keeps T = 1. */
  calibrationShare: number;
  /** Drop a feature when all its class weights are below this in absolute value. */
  pruneBelow: number;
  linear: LinearTrainOptions;
};

/** Options for `trainModel`: any subset; `linear` may also be partial. */
export type ModelOptionsInput = Partial<Omit<ModelOptions, 'linear'>> & { linear?: Partial<LinearTrainOptions> };

/** Chosen by 5-fold CV on the 70% training part of the hold-out split only (see docs/intelligence.md). */
export const defaultModelOptions: ModelOptions = {
  ngramMax: 2,
  titleWeight: 0.7,
  sublinear: true,
  foldDigits: true,
  maxTitleChars: MAX_TITLE_CHARS,
  maxBodyChars: MAX_BODY_CHARS,
  minDf: 3,
  calibrationShare: 0.1,
  pruneBelow: 0.002,
  linear: defaultLinearOptions,
};

export type TrainPhase = 'features' | 'calibration' | 'training';
export type TrainProgressEvent = { phase: TrainPhase; done: number; total: number };

/** A document's term counts and whether any part was cut. */
export type FeaturizedDoc = { terms: TermCounts; truncated: boolean };

/**
 * Normalise and featurise one request: character 1…ngramMax-grams of the title and of the body, as separate blocks.
 *
 * @example
 * featurize({ title: '小区停水', body: '三天没水' }, defaultModelOptions).terms.keys.length; // → 14
 */
export function featurize(doc: ClassifyInput, opts: FeatureOptions): FeaturizedDoc {
  const title = normalizeText(doc.title ?? '', opts.maxTitleChars);
  const body = normalizeText(doc.body ?? '', opts.maxBodyChars);
  const n = Math.min(Math.max(1, opts.ngramMax), MAX_NGRAM);
  const keys: number[] = [];
  ngramKeys(opts.foldDigits ? foldDigits(title.text) : title.text, n, BLOCK_TITLE, keys);
  ngramKeys(opts.foldDigits ? foldDigits(body.text) : body.text, n, BLOCK_BODY, keys);
  return { terms: countTerms(keys), truncated: title.truncated || body.truncated };
}

/**
 * Keys seen in at least `minDf` documents, numbered in first-seen order (deterministic for the same rows).
 *
 * @example
 * buildVocabulary([docA.terms, docB.terms], 2).size; // n-grams shared by both
 */
export function buildVocabulary(docs: readonly TermCounts[], minDf: number): KeyIndex {
  const seen = new KeyIndex(1 << 18);
  let df = new Int32Array(1 << 18);
  for (const d of docs) {
    for (const key of d.keys) {
      const id = seen.add(key);
      if (id >= df.length) {
        const grown = new Int32Array(df.length * 2);
        grown.set(df);
        df = grown;
      }
      df[id] = (df[id] ?? 0) + 1;
    }
  }
  const vocabulary = new KeyIndex(seen.size);
  for (let id = 0; id < seen.size; id++) if ((df[id] ?? 0) >= minDf) vocabulary.add(seen.keyAt(id));
  return vocabulary;
}

function blockWeights(f: FeatureOptions): number[] {
  const w = [0, 0, 0, 0];
  w[BLOCK_TITLE] = f.titleWeight;
  w[BLOCK_BODY] = 1;
  return w;
}

const QUANT_MAX = 32767;

/** A trained classifier; `classify` is synchronous and allocation-light. */
export class Model {
  readonly labels: readonly string[];
  readonly temperature: number;
  readonly features: FeatureOptions;
  /** Training facts kept in the file header (rows, options); never any text. */
  readonly info: Readonly<Record<string, unknown>>;
  /** N-gram key of each feature (see `ngramKey`), by feature id. */
  readonly keys: Float64Array;
  /** Weights as stored: Int16 × `scale`, feature-major; kept so saving is exact. */
  readonly quantized: Int16Array;
  readonly scale: number;
  readonly bias: Float64Array;
  private readonly vocabulary: KeyIndex;
  private readonly weights: Float32Array;
  private readonly blockWeights: number[];

  constructor(args: {
    labels: readonly string[];
    temperature: number;
    features: FeatureOptions;
    keys: Float64Array;
    quantized: Int16Array;
    scale: number;
    bias: Float64Array;
    info?: Record<string, unknown>;
  }) {
    this.labels = args.labels;
    this.temperature = args.temperature;
    this.features = args.features;
    this.keys = args.keys;
    this.quantized = args.quantized;
    this.scale = args.scale;
    this.bias = args.bias;
    this.info = args.info ?? {};
    this.vocabulary = new KeyIndex(args.keys.length);
    for (const k of args.keys) this.vocabulary.add(k);
    this.weights = new Float32Array(args.quantized.length);
    for (let k = 0; k < this.weights.length; k++) this.weights[k] = (args.quantized[k] ?? 0) * args.scale;
    this.blockWeights = blockWeights(args.features);
  }

  /** Number of n-gram features kept. */
  get size(): number {
    return this.keys.length;
  }

  /** The sparse vector the linear model sees for a request. */
  vector(doc: ClassifyInput): SparseVector & { truncated: boolean } {
    const { terms, truncated } = featurize(doc, this.features);
    return { ...vectorize(terms, this.vocabulary, { sublinear: this.features.sublinear, blockWeights: this.blockWeights }), truncated };
  }

  /**
   * Raw class margins (one per label, in `labels` order).
   *
   * @example
   * model.margins({ title: '', body: '噪音扰民' }); // Float64Array(7)
   */
  margins(doc: ClassifyInput): Float64Array {
    const x = this.vector(doc);
    return decision({ nClasses: this.labels.length, weights: this.weights, bias: this.bias }, x.indices, x.values);
  }

  /**
   * Classify a request.
   *
   * @example
   * model.classify({ title: '小区停水三天', body: '' });
   * // → { label: '城乡建设', confidence: 0.83, alternatives: [{ label: '环境保护', confidence: 0.06 }, …],
   * //     truncated: false, evidence: ['标题:停水', …] }
   */
  classify(doc: ClassifyInput): Classification {
    const x = this.vector(doc);
    const n = this.labels.length;
    const scores = decision({ nClasses: n, weights: this.weights, bias: this.bias }, x.indices, x.values);
    // With no known n-gram the margins are only the biases: say so with a flat distribution rather than a prior guess.
    const probs = x.indices.length === 0 ? new Float64Array(n).fill(1 / n) : softmax(scores, this.temperature);
    const order = Array.from({ length: n }, (_, c) => c).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
    const best = order[0] ?? 0;
    const runnerUp = order[1] ?? best;
    const alternatives = order
      .slice(1)
      .filter((c) => (probs[c] ?? 0) >= 0.01)
      .slice(0, 3)
      .map((c) => ({ label: this.labels[c] ?? '', confidence: round4(probs[c] ?? 0) }));
    return {
      label: this.labels[best] ?? '',
      confidence: round4(probs[best] ?? 0),
      alternatives,
      truncated: x.truncated,
      evidence: x.indices.length === 0 ? [] : this.evidence(x, best, runnerUp, 5),
    };
  }

  /** The `limit` n-grams with the largest (w[label] − w[runnerUp]) · x; only those few are decoded to text. */
  private evidence(x: SparseVector, label: number, runnerUp: number, limit: number): string[] {
    const n = this.labels.length;
    const w = this.weights;
    const top: number[] = [];
    const topValue: number[] = [];
    for (let k = 0; k < x.indices.length; k++) {
      const j = x.indices[k] ?? 0;
      const contribution = ((w[j * n + label] ?? 0) - (label === runnerUp ? 0 : (w[j * n + runnerUp] ?? 0))) * (x.values[k] ?? 0);
      if (contribution <= 0 || (top.length === limit && contribution <= (topValue[limit - 1] ?? 0))) continue;
      // Insertion into a short sorted list: cheaper than sorting every contribution.
      let pos = top.length < limit ? top.length : limit - 1;
      while (pos > 0 && (topValue[pos - 1] ?? 0) < contribution) {
        top[pos] = top[pos - 1] ?? 0;
        topValue[pos] = topValue[pos - 1] ?? 0;
        pos--;
      }
      top[pos] = k;
      topValue[pos] = contribution;
    }
    return top.map((k) => {
      const { block, gram } = decodeNgramKey(x.keys[k] ?? 0);
      return block === BLOCK_TITLE ? `标题:${gram}` : gram;
    });
  }
}

/** Four decimals, never a flat 1: a linear model on a short text is not certain. */
function round4(v: number): number {
  return Math.min(0.9999, Math.round(v * 1e4) / 1e4);
}

type Fitted = { keys: Float64Array; linear: LinearModel; vocabulary: KeyIndex };

/** Build the vocabulary and train the linear model on featurised rows. */
function fit(docs: readonly FeaturizedDoc[], y: Int32Array, nClasses: number, opts: ModelOptions, onClass?: (done: number) => void): Fitted {
  const vocabulary = buildVocabulary(
    docs.map((d) => d.terms),
    opts.minDf,
  );
  const weights = blockWeights(opts);
  const rows = docs.map((d) => vectorize(d.terms, vocabulary, { sublinear: opts.sublinear, blockWeights: weights }));
  const X = csrFromRows(rows, vocabulary.size);
  const linear = trainOneVsRest(X, y, nClasses, opts.linear, (p) => onClass?.(p.classIndex + 1));
  return { keys: vocabulary.keys(), linear, vocabulary };
}

/** Prune features whose weights are all tiny, then quantise to Int16 so the in-memory model equals the saved one. */
function compact(f: Fitted, nClasses: number, pruneBelow: number): { keys: Float64Array; quantized: Int16Array; scale: number } {
  const w = f.linear.weights;
  const keep: number[] = [];
  let maxAbs = 0;
  for (let j = 0; j < f.keys.length; j++) {
    let m = 0;
    for (let c = 0; c < nClasses; c++) m = Math.max(m, Math.abs(w[j * nClasses + c] ?? 0));
    if (m >= pruneBelow && m > 0) {
      keep.push(j);
      maxAbs = Math.max(maxAbs, m);
    }
  }
  const scale = maxAbs > 0 ? maxAbs / QUANT_MAX : 1;
  const quantized = new Int16Array(keep.length * nClasses);
  keep.forEach((j, pos) => {
    for (let c = 0; c < nClasses; c++) quantized[pos * nClasses + c] = Math.round((w[j * nClasses + c] ?? 0) / scale);
  });
  return { keys: Float64Array.from(keep, (j) => f.keys[j] ?? 0), quantized, scale };
}

/** Merge partial options over the defaults. */
export function resolveOptions(options: ModelOptionsInput = {}): ModelOptions {
  return { ...defaultModelOptions, ...options, linear: { ...defaultModelOptions.linear, ...options.linear } };
}

/**
 * Train a classifier from labelled rows. A seeded share of rows (`calibrationShare`) is held out first to fit the
 * softmax temperature; the final model is then trained on all rows.
 *
 * @example
 * const model = trainModel(rows, { calibrationShare: 0.1 }, (p) => console.error(p.phase, p.done, p.total));
 * model.classify({ title: '学校乱收费', body: '' }).label; // → '教育文体'
 */
export function trainModel(rows: readonly TrainRow[], options: ModelOptionsInput = {}, onProgress?: (e: TrainProgressEvent) => void): Model {
  const opts = resolveOptions(options);
  if (rows.length === 0) throw new Error('trainModel: no training rows');
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  if (labels.length < 2) throw new Error(`trainModel: need at least two labels, got ${labels.length}`);
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const y = Int32Array.from(rows, (r) => labelIndex.get(r.label) ?? 0);
  const docs: FeaturizedDoc[] = [];
  const step = Math.max(1, Math.floor(rows.length / 50));
  rows.forEach((r, i) => {
    docs.push(featurize(r, opts));
    if ((i + 1) % step === 0 || i + 1 === rows.length) onProgress?.({ phase: 'features', done: i + 1, total: rows.length });
  });

  let temperature = 1;
  if (opts.calibrationShare > 0) {
    const rand = mulberry32(opts.linear.seed ^ 0x5eed);
    const held: number[] = [];
    const kept: number[] = [];
    rows.forEach((_, i) => (rand() < opts.calibrationShare ? held : kept).push(i));
    if (held.length > 0 && new Set(kept.map((i) => y[i])).size === labels.length) {
      const part = fit(
        kept.map((i) => docs[i] as FeaturizedDoc),
        Int32Array.from(kept, (i) => y[i] ?? 0),
        labels.length,
        opts,
        (done) => onProgress?.({ phase: 'calibration', done, total: labels.length }),
      );
      const weights = blockWeights(opts);
      // All held-out rows, title-only ones included: fitting on messages alone gave a worse hold-out log-loss (0.33 vs 0.31).
      const margins = held.map((i) => {
        const x = vectorize((docs[i] as FeaturizedDoc).terms, part.vocabulary, { sublinear: opts.sublinear, blockWeights: weights });
        return decision(part.linear, x.indices, x.values);
      });
      temperature = fitTemperature(
        margins,
        held.map((i) => y[i] ?? 0),
      );
    }
  }

  const full = fit(docs, y, labels.length, opts, (done) => onProgress?.({ phase: 'training', done, total: labels.length }));
  const { keys, quantized, scale } = compact(full, labels.length, opts.pruneBelow);
  const features: FeatureOptions = {
    ngramMax: opts.ngramMax,
    titleWeight: opts.titleWeight,
    sublinear: opts.sublinear,
    foldDigits: opts.foldDigits,
    maxTitleChars: opts.maxTitleChars,
    maxBodyChars: opts.maxBodyChars,
  };
  const perLabel: Record<string, number> = {};
  for (const r of rows) perLabel[r.label] = (perLabel[r.label] ?? 0) + 1;
  return new Model({
    labels,
    temperature,
    features,
    keys,
    quantized,
    scale,
    bias: Float64Array.from(full.linear.bias),
    info: { rows: rows.length, rowsPerLabel: perLabel, featuresBeforePruning: full.keys.length, options: { ...opts, linear: { ...opts.linear } } },
  });
}

type Header = {
  format: string;
  version: number;
  labels: string[];
  temperature: number;
  features: FeatureOptions;
  nFeatures: number;
  scale: number;
  bias: number[];
  vocabularyBytes: number;
  info: Record<string, unknown>;
};

/** Vocabulary section: per feature u8 block, u8 n, n × u16 LE code units. */
function encodeVocabulary(keys: Float64Array): Buffer {
  const parts = Array.from(keys, (k) => decodeNgramKey(k));
  const size = parts.reduce((a, p) => a + 2 + 2 * p.gram.length, 0);
  const buf = Buffer.alloc(size);
  let o = 0;
  for (const { block, gram } of parts) {
    buf.writeUInt8(block, o);
    buf.writeUInt8(gram.length, o + 1);
    o += 2;
    for (let i = 0; i < gram.length; i++, o += 2) buf.writeUInt16LE(gram.charCodeAt(i), o);
  }
  return buf;
}

function decodeVocabulary(buf: Buffer, n: number): Float64Array | string {
  const keys = new Float64Array(n);
  let o = 0;
  for (let j = 0; j < n; j++) {
    if (o + 2 > buf.length) return `vocabulary ends after ${j} of ${n} features`;
    const block = buf.readUInt8(o);
    const len = buf.readUInt8(o + 1);
    o += 2;
    if (len < 1 || len > MAX_NGRAM || block > 3 || o + 2 * len > buf.length) return `bad vocabulary entry ${j}`;
    let gram = '';
    for (let i = 0; i < len; i++, o += 2) gram += String.fromCharCode(buf.readUInt16LE(o));
    keys[j] = ngramKey(block, gram);
  }
  return o === buf.length ? keys : `vocabulary has ${buf.length - o} stray bytes`;
}

/**
 * Write a model to `file` (gzip'd binary, see the module comment); creates the folder if needed.
 *
 * @example
 * saveModel(model, 'models/classifier.jiesu.gz');
 */
export function saveModel(model: Model, file: string): void {
  const vocab = encodeVocabulary(model.keys);
  const header: Header = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    labels: [...model.labels],
    temperature: model.temperature,
    features: model.features,
    nFeatures: model.keys.length,
    scale: model.scale,
    bias: [...model.bias],
    vocabularyBytes: vocab.length,
    info: { ...model.info },
  };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length);
  const q = model.quantized;
  const weights = Buffer.alloc(q.length * 2);
  for (let k = 0; k < q.length; k++) weights.writeInt16LE(q[k] ?? 0, k * 2);
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, gzipSync(Buffer.concat([Buffer.from(MAGIC, 'latin1'), len, head, vocab, weights]), { level: 9 }));
}

/**
 * Read a model written by `saveModel`. Throws an Error naming the file when it is missing, not a model, of another
 * version, or damaged.
 *
 * @example
 * const model = loadModel('models/classifier.jiesu.gz');
 */
export function loadModel(file: string): Model {
  const fail = (why: string): never => {
    throw new Error(`分类模型无法读取 / cannot load classifier model ${file}: ${why}`);
  };
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'file not found' : String((err as Error).message));
  }
  let data: Buffer;
  try {
    data = gunzipSync(raw);
  } catch (err) {
    return fail(`not a gzip'd model (${(err as Error).message})`);
  }
  if (data.length < 12 || data.subarray(0, 8).toString('latin1') !== MAGIC) return fail(`not a ${MODEL_FORMAT} file`);
  const headLen = data.readUInt32LE(8);
  if (12 + headLen > data.length) return fail('header runs past the end of the file');
  let header: Header;
  try {
    header = JSON.parse(data.subarray(12, 12 + headLen).toString('utf8')) as Header;
  } catch {
    return fail('header is not valid JSON');
  }
  if (header.format !== MODEL_FORMAT) return fail(`format is ${String(header.format)}, expected ${MODEL_FORMAT}`);
  if (header.version !== MODEL_VERSION) return fail(`version ${String(header.version)}, this program reads ${MODEL_VERSION}`);
  const nClasses = Array.isArray(header.labels) ? header.labels.length : 0;
  if (nClasses < 2 || !Array.isArray(header.bias) || header.bias.length !== nClasses) return fail('labels and biases do not match');
  if (!(header.scale > 0) || !(header.temperature > 0)) return fail('bad scale or temperature');
  const vocabStart = 12 + headLen;
  const weightStart = vocabStart + header.vocabularyBytes;
  const expectedEnd = weightStart + header.nFeatures * nClasses * 2;
  if (expectedEnd !== data.length) return fail(`expected ${expectedEnd} bytes, found ${data.length}`);
  const keys = decodeVocabulary(data.subarray(vocabStart, weightStart), header.nFeatures);
  if (typeof keys === 'string') return fail(keys);
  const quantized = new Int16Array(header.nFeatures * nClasses);
  for (let k = 0; k < quantized.length; k++) quantized[k] = data.readInt16LE(weightStart + k * 2);
  return new Model({
    labels: header.labels,
    temperature: header.temperature,
    features: header.features,
    keys,
    quantized,
    scale: header.scale,
    bias: Float64Array.from(header.bias),
    info: header.info,
  });
}
