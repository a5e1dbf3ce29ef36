/**
 * Text normalisation and character n-gram features for the request classifier (and any other text model).
 *
 * Normalisation folds full-width ASCII to half-width, drops zero-width characters, collapses whitespace, lowercases
 * Latin letters and cuts the text at a maximum length (the caller learns that it was cut).
 *
 * Features are character 1…3-grams inside whitespace-separated runs, each packed into one exact integer key
 * (block · 2^50 + n · 2^48 + UTF-16 code units), so counting and lookup never build strings: featurising the teddy2020
 * messages is several times faster than with string keys. Blocks keep the same gram in the title and the body apart.
 */

/** Longest body the classifier reads, in UTF-16 code units; 99% of teddy2020 bodies are shorter than 2,700. */
export const MAX_BODY_CHARS = 2000;
/** Longest title the classifier reads; real titles are under 100 characters. */
export const MAX_TITLE_CHARS = 200;

/** Block ids of n-gram keys (at most 3). */
export const BLOCK_TITLE = 1;
export const BLOCK_BODY = 2;
/** Longest n-gram a key can hold. */
export const MAX_NGRAM = 3;

export type NormalizedText = {
  /** The normalised, possibly cut text. */
  text: string;
  /** True when the normalised text was longer than the maximum and was cut. */
  truncated: boolean;
};

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const WHITESPACE = /\s+/g;

/**
 * Normalise a title or body: full-width → half-width, ideographic space → space, zero-width characters removed,
 * whitespace runs → one space, trimmed, Latin letters lowercased, then cut at `maxChars` (never inside a surrogate
 * pair).
 *
 * @example
 * normalizeText('ＡＢＣ１２３\u3000小区  停水') // → { text: 'abc123 小区 停水', truncated: false }
 * normalizeText('ＡＢＣ１２３', 3) // → { text: 'abc', truncated: true }
 */
export function normalizeText(raw: string, maxChars: number = MAX_BODY_CHARS): NormalizedText {
  let out = '';
  let from = 0;
  // Copy unchanged stretches in one go; only full-width forms and U+3000 are rewritten.
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 0xff01 && c <= 0xff5e) || c === 0x3000) {
      out += raw.slice(from, i) + (c === 0x3000 ? ' ' : String.fromCharCode(c - 0xfee0));
      from = i + 1;
    }
  }
  out += raw.slice(from);
  const text = out.replace(ZERO_WIDTH, '').replace(WHITESPACE, ' ').trim().toLowerCase();
  if (text.length <= maxChars) return { text, truncated: false };
  let end = maxChars;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return { text: text.slice(0, end).trimEnd(), truncated: true };
}

/** Replace every ASCII digit with 0: case numbers, dates and phone numbers say little about the category. */
export function foldDigits(text: string): string {
  return text.replace(/[0-9]/g, '0');
}

const P16 = 2 ** 16;
const P32 = 2 ** 32;
const P48 = 2 ** 48;
const P50 = 2 ** 50;

/**
 * The integer key of one n-gram (1…3 UTF-16 code units) in a block (0…3).
 *
 * @example
 * ngramKey(BLOCK_BODY, '停水') === 2 * 2 ** 50 + 2 * 2 ** 48 + 0x505c * 2 ** 16 + 0x6c34 // → true
 */
export function ngramKey(block: number, gram: string): number {
  const n = gram.length;
  if (n < 1 || n > MAX_NGRAM || block < 0 || block > 3) throw new RangeError(`ngramKey: bad block ${block} or gram length ${n}`);
  let packed = 0;
  for (let i = 0; i < n; i++) packed = packed * P16 + gram.charCodeAt(i);
  return block * P50 + n * P48 + packed;
}

/**
 * Block and text of an n-gram key.
 *
 * @example
 * decodeNgramKey(ngramKey(BLOCK_TITLE, '噪音')); // → { block: 1, gram: '噪音' }
 */
export function decodeNgramKey(key: number): { block: number; gram: string } {
  const block = Math.floor(key / P50);
  const rest = key - block * P50;
  const n = Math.floor(rest / P48);
  let packed = rest - n * P48;
  const codes: number[] = [];
  for (let i = 0; i < n; i++) {
    codes.unshift(packed % P16);
    packed = Math.floor(packed / P16);
  }
  return { block, gram: String.fromCharCode(...codes) };
}

/**
 * Append the keys of all 1…maxN-grams of `text` (duplicates included) to `out`. N-grams never span a space, so words
 * of Latin text and separate phrases do not glue together. Code units, not code points: an astral character (rare
 * here) counts as two.
 *
 * @example
 * const keys: number[] = [];
 * ngramKeys('小区 停水', 2, BLOCK_BODY, keys); // 小 区 小区 停 水 停水 → 6 keys
 */
export function ngramKeys(text: string, maxN: number, block: number, out: number[]): number[] {
  const base = block * P50;
  const len = text.length;
  let runStart = 0;
  for (let i = 0; i <= len; i++) {
    const c = i < len ? text.charCodeAt(i) : 32;
    if (c === 32) {
      runStart = i + 1;
      continue;
    }
    out.push(base + P48 + c);
    if (maxN >= 2 && i - 1 >= runStart) out.push(base + 2 * P48 + text.charCodeAt(i - 1) * P16 + c);
    if (maxN >= 3 && i - 2 >= runStart) {
      out.push(base + 3 * P48 + text.charCodeAt(i - 2) * P32 + text.charCodeAt(i - 1) * P16 + c);
    }
  }
  return out;
}

/** Distinct term keys (ascending) and how often each occurred. */
export type TermCounts = { keys: Float64Array; counts: Float64Array };

/**
 * Sort keys and count repeats.
 *
 * @example
 * countTerms([5, 3, 5]); // → { keys: [3, 5], counts: [1, 2] }
 */
export function countTerms(keys: readonly number[]): TermCounts {
  const sorted = Float64Array.from(keys).sort();
  const outKeys = new Float64Array(sorted.length);
  const counts = new Float64Array(sorted.length);
  let n = -1;
  for (let i = 0; i < sorted.length; i++) {
    const k = sorted[i] ?? 0;
    if (n >= 0 && outKeys[n] === k) counts[n] = (counts[n] ?? 0) + 1;
    else {
      n++;
      outKeys[n] = k;
      counts[n] = 1;
    }
  }
  return { keys: outKeys.slice(0, n + 1), counts: counts.slice(0, n + 1) };
}

/**
 * An open-addressing hash table from integer keys (0 ≤ key < 2^53) to dense ids 0, 1, 2, … in insertion order.
 * Typed arrays only: a 150k-feature vocabulary takes a few MB, and lookups allocate nothing.
 *
 * @example
 * const ix = new KeyIndex(); ix.add(42); ix.add(7); ix.get(7); // → 1
 */
export class KeyIndex {
  private slots: Float64Array;
  private ids: Int32Array;
  private mask: number;
  private list: Float64Array;
  size = 0;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.slots = new Float64Array(cap).fill(-1);
    this.ids = new Int32Array(cap);
    this.mask = cap - 1;
    this.list = new Float64Array(Math.max(16, capacity));
  }

  private static hash(key: number): number {
    const lo = key >>> 0;
    const hi = Math.floor(key / P32) >>> 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  }

  /** The id of `key`, or −1. */
  get(key: number): number {
    let s = KeyIndex.hash(key) & this.mask;
    for (;;) {
      const k = this.slots[s];
      if (k === key) return this.ids[s] ?? -1;
      if (k === -1) return -1;
      s = (s + 1) & this.mask;
    }
  }

  /** The id of `key`, adding it when new. */
  add(key: number): number {
    let s = KeyIndex.hash(key) & this.mask;
    for (;;) {
      const k = this.slots[s];
      if (k === key) return this.ids[s] ?? -1;
      if (k === -1) break;
      s = (s + 1) & this.mask;
    }
    const id = this.size++;
    this.slots[s] = key;
    this.ids[s] = id;
    if (id >= this.list.length) {
      const grown = new Float64Array(this.list.length * 2);
      grown.set(this.list);
      this.list = grown;
    }
    this.list[id] = key;
    if (this.size * 2 > this.slots.length) this.rehash();
    return id;
  }

  /** The key with id `id`. */
  keyAt(id: number): number {
    return this.list[id] ?? -1;
  }

  /** All keys in id order. */
  keys(): Float64Array {
    return this.list.slice(0, this.size);
  }

  private rehash(): void {
    const old = this.slots;
    const oldIds = this.ids;
    this.slots = new Float64Array(old.length * 2).fill(-1);
    this.ids = new Int32Array(old.length * 2);
    this.mask = this.slots.length - 1;
    for (let i = 0; i < old.length; i++) {
      const k = old[i] ?? -1;
      if (k === -1) continue;
      let s = KeyIndex.hash(k) & this.mask;
      while (this.slots[s] !== -1) s = (s + 1) & this.mask;
      this.slots[s] = k;
      this.ids[s] = oldIds[i] ?? 0;
    }
  }
}

export type SparseVector = { indices: Int32Array; values: Float64Array; keys: Float64Array };

/**
 * Turn term counts into a weighted sparse vector over a vocabulary: TF (or sublinear 1 + ln TF), each block
 * L2-normalised on its own and multiplied by its weight, so a long body cannot drown a short title. Terms outside the
 * vocabulary are ignored.
 *
 * @example
 * const vocab = new KeyIndex(); vocab.add(ngramKey(BLOCK_BODY, '水')); vocab.add(ngramKey(BLOCK_TITLE, '水'));
 * const keys: number[] = []; ngramKeys('水水水', 1, BLOCK_BODY, keys); ngramKeys('水', 1, BLOCK_TITLE, keys);
 * vectorize(countTerms(keys), vocab, { sublinear: true, blockWeights: [0, 2, 1] }); // values [2, 1] (title first)
 */
export function vectorize(
  terms: TermCounts,
  vocabulary: KeyIndex,
  opts: { sublinear: boolean; blockWeights: readonly number[] },
): SparseVector {
  const m = terms.keys.length;
  const indices = new Int32Array(m);
  const values = new Float64Array(m);
  const keys = new Float64Array(m);
  const norms = [0, 0, 0, 0];
  let n = 0;
  for (let t = 0; t < m; t++) {
    const key = terms.keys[t] ?? 0;
    const j = vocabulary.get(key);
    const count = terms.counts[t] ?? 0;
    if (j < 0 || count <= 0) continue;
    const v = opts.sublinear ? 1 + Math.log(count) : count;
    const block = Math.floor(key / P50);
    indices[n] = j;
    values[n] = v;
    keys[n] = key;
    norms[block] = (norms[block] ?? 0) + v * v;
    n++;
  }
  // One factor per block: its weight over its L2 norm.
  const factor = norms.map((sq, b) => (sq > 0 ? (opts.blockWeights[b] ?? 1) / Math.sqrt(sq) : 0));
  for (let k = 0; k < n; k++) values[k] = (values[k] ?? 0) * (factor[Math.floor((keys[k] ?? 0) / P50)] ?? 0);
  return { indices: indices.slice(0, n), values: values.slice(0, n), keys: keys.slice(0, n) };
}
