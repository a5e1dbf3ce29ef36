/**
 * Grouping messages about one problem in one place and time: TF-IDF vectors, candidates from an inverted index of
 * the rarer terms inside a time window, exact cosine for the candidates, a place gate, and union-find.
 *
 * The inverted index only lists each document's heaviest terms among those that at most `maxDfShare` of the
 * documents carry: a pair of messages about the same problem shares such words (a compound's name, 搅拌站, 车贷), so
 * pairs that share only common words (小区, 问题) are never candidates. Each candidate's cosine is then computed
 * exactly, over all terms. Postings are in time order, so the window is a backwards walk that stops at the first
 * message too old: the work grows with the documents in a window, not with the square of all of them. On the 4,326
 * teddy2020 hot messages about 18,000 pairs are scored (see bench/hot.ts).
 */

/** Terms of one part of a document (its title, its body, its places), repeats included, and how much it counts. */
export type TermBlock = { terms: readonly string[]; weight: number };

/** One document to group: weighted blocks of terms (any keys), its time, and what it says about where. */
export type GroupDoc = {
  blocks: readonly TermBlock[];
  /** Milliseconds since the epoch. */
  time: number;
  /** Specific places (roads, compounds, villages); two docs naming only different ones are never joined. */
  places: ReadonlySet<string>;
  /** Streets, towns, townships (街道, 镇, 乡); two docs naming only different ones are never joined. */
  streets: ReadonlySet<string>;
  /** Districts or counties; two docs naming only different ones are never joined. */
  districts: ReadonlySet<string>;
  /** Cities; two docs naming only different ones are never joined. */
  cities: ReadonlySet<string>;
};

export type GroupOptions = {
  /** Lowest cosine that joins two docs that share a named place or where either names none (default 0.3). */
  threshold?: number;
  /** Lowest cosine that joins two docs when neither names a specific place (default 0.35): nothing pins them down. */
  unplacedThreshold?: number;
  /** Two docs further apart than this are not joined directly (default 30 days), unless as below. */
  windowDays?: number;
  /** Two docs naming the same place may be joined this far apart (default 365 days)… */
  longWindowDays?: number;
  /** …when their cosine reaches this (default 0.5): the same complaint about the same place, months later. */
  longThreshold?: number;
  /** Terms carried by more than this share of the docs do not propose candidates (default 0.05). */
  maxDfShare?: number;
  /** Only a doc's this many heaviest rarer terms propose candidates (default 32). */
  keyTerms?: number;
};

export const DEFAULT_GROUP_OPTIONS: Required<GroupOptions> = {
  threshold: 0.3,
  unplacedThreshold: 0.35,
  windowDays: 30,
  longWindowDays: 365,
  longThreshold: 0.5,
  maxDfShare: 0.05,
  keyTerms: 32,
};

/** A doc's L2-normalised TF-IDF vector over the corpus vocabulary: term ids ascending, with their weights. */
export type TfIdfVector = { ids: Int32Array; weights: Float64Array };

const DAY_MS = 86_400_000;
// Candidates whose key-term part of the cosine is below this share of the threshold are not scored exactly.
const PREFILTER_SHARE = 0.35;
// A small corpus has no common words to leave out: below this many docs per term, every term proposes candidates.
const MIN_MAX_DF = 50;

/**
 * TF-IDF vectors of the docs: in each block, weight = (1 + ln tf) · idf with idf = ln((1 + n) / (1 + df)) + 1 (df
 * counts docs), the block L2-normalised and multiplied by its weight; the blocks are summed and the sum
 * L2-normalised. A long body then cannot drown a title that states the problem in ten words.
 *
 * @example
 * const { vectors } = tfidf([{ blocks: [{ terms: ['停水', '小区', '停水'], weight: 1 }] }]);
 */
export function tfidf(docs: readonly { blocks: readonly TermBlock[] }[]): { vectors: TfIdfVector[]; vocabulary: Map<string, number>; df: Int32Array } {
  const vocabulary = new Map<string, number>();
  // Each doc's blocks as distinct term ids and their counts, so each string is looked up once.
  let tf = new Int32Array(1024);
  const coded = docs.map((d) =>
    d.blocks.map((b) => {
      const seen: number[] = [];
      for (const t of b.terms) {
        let id = vocabulary.get(t);
        if (id === undefined) {
          id = vocabulary.size;
          vocabulary.set(t, id);
          if (id >= tf.length) {
            const grown = new Int32Array(tf.length * 2);
            grown.set(tf);
            tf = grown;
          }
        }
        if (tf[id] === 0) seen.push(id);
        tf[id] = (tf[id] ?? 0) + 1;
      }
      // Plain loops: TypedArray.from with a mapping function is slow in V8, and this runs for every block.
      const ids = new Int32Array(seen.length);
      const tfs = new Float64Array(seen.length);
      for (let k = 0; k < seen.length; k++) {
        const id = seen[k] ?? 0;
        ids[k] = id;
        tfs[k] = tf[id] ?? 0;
        tf[id] = 0;
      }
      return { ids, tfs, weight: b.weight };
    }),
  );
  const df = new Int32Array(vocabulary.size);
  const lastDoc = new Int32Array(vocabulary.size).fill(-1);
  coded.forEach((blocks, i) => {
    for (const b of blocks) {
      for (const id of b.ids) {
        if (lastDoc[id] === i) continue;
        lastDoc[id] = i;
        df[id] = (df[id] ?? 0) + 1;
      }
    }
  });
  const n = docs.length;
  const idf = Float64Array.from(df, (f) => Math.log((1 + n) / (1 + f)) + 1);
  const sum = new Float64Array(vocabulary.size);
  const vectors = coded.map((blocks) => {
    const used: number[] = [];
    for (const b of blocks) {
      let sq = 0;
      const w = new Float64Array(b.ids.length);
      for (let k = 0; k < b.ids.length; k++) {
        const tf = b.tfs[k] ?? 0;
        const x = tf > 0 ? (1 + Math.log(tf)) * (idf[b.ids[k] ?? 0] ?? 0) : 0;
        w[k] = x;
        sq += x * x;
      }
      const f = sq > 0 ? b.weight / Math.sqrt(sq) : 0;
      for (let k = 0; k < b.ids.length; k++) {
        const id = b.ids[k] ?? 0;
        if (sum[id] === 0) used.push(id);
        sum[id] = (sum[id] ?? 0) + (w[k] ?? 0) * f;
      }
    }
    const ids = new Int32Array(used.length);
    for (let k = 0; k < used.length; k++) ids[k] = used[k] ?? 0;
    ids.sort();
    const weights = new Float64Array(ids.length);
    let sq = 0;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k] ?? 0;
      const x = sum[id] ?? 0;
      weights[k] = x;
      sq += x * x;
      sum[id] = 0;
    }
    const norm = Math.sqrt(sq) || 1;
    for (let k = 0; k < weights.length; k++) weights[k] = (weights[k] ?? 0) / norm;
    return { ids, weights };
  });
  return { vectors, vocabulary, df };
}

/** Union-find over 0…n−1 with path halving and union by size. */
export class DisjointSets {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
    this.size = new Int32Array(n).fill(1);
  }
  find(x: number): number {
    let i = x;
    for (;;) {
      const p = this.parent[i] ?? i;
      if (p === i) return i;
      const g = this.parent[p] ?? p;
      this.parent[i] = g;
      i = g;
    }
  }
  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if ((this.size[ra] ?? 0) < (this.size[rb] ?? 0)) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] = (this.size[ra] ?? 0) + (this.size[rb] ?? 0);
  }
}

/** Two names of one place: equal, or one contains the other (经济学院 in 涉外经济学院, 丽发新城 in 丽发新城三期). */
function samePlace(x: string, y: string): boolean {
  return x === y || (x.length > y.length ? x.includes(y) : y.includes(x));
}

function shares(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const x of a) if (b.has(x)) return true;
  for (const x of a) for (const y of b) if (samePlace(x, y)) return true;
  return false;
}

function disjoint(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size > 0 && b.size > 0 && !shares(a, b);
}

type Where = Pick<GroupDoc, 'places' | 'streets' | 'districts' | 'cities'>;

/** True when two docs (or groups) name places and none in common, at any level: they are about different places. */
export function differentPlaces(a: Where, b: Where): boolean {
  return disjoint(a.places, b.places) || disjoint(a.streets, b.streets) || disjoint(a.districts, b.districts) || disjoint(a.cities, b.cities);
}

/** The cosine of two normalised sparse vectors (both sorted by id). */
export function cosine(a: TfIdfVector, b: TfIdfVector): number {
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i] ?? 0;
    const y = b.ids[j] ?? 0;
    if (x === y) dot += (a.weights[i++] ?? 0) * (b.weights[j++] ?? 0);
    else if (x < y) i++;
    else j++;
  }
  return dot;
}

// Positions (in `v`) of the doc's `k` heaviest terms that at most `maxDf` docs carry: the words that say what this
// message is about. Two messages about one problem share some of them; the rest of the words only add to the cosine.
function keyTerms(v: TfIdfVector, df: Int32Array, maxDf: number, k: number): number[] {
  const out: number[] = [];
  for (let x = 0; x < v.ids.length; x++) if ((df[v.ids[x] ?? 0] ?? 0) <= maxDf) out.push(x);
  if (out.length <= k) return out;
  out.sort((a, b) => (v.weights[b] ?? 0) - (v.weights[a] ?? 0) || a - b);
  return out.slice(0, k);
}

export type Grouping = {
  /** Groups of doc indexes (each in time order), largest first; every doc is in exactly one group. */
  groups: number[][];
  vectors: TfIdfVector[];
  vocabulary: Map<string, number>;
  /** How many pairs were scored exactly and how many were joined: for benchmarks and tuning. */
  pairsScored: number;
  pairsJoined: number;
};

/**
 * Group docs about one problem: two docs are joined when they are at most `windowDays` apart, do not name different
 * places, and their cosine reaches the threshold (a higher one when neither names a specific place), or when they
 * name the same place at most `longWindowDays` apart with a cosine of `longThreshold`. Groups are the connected
 * parts, built from the most similar pairs down, refusing a join that would put different places in one group.
 *
 * @example
 * groupDocs(docs, { threshold: 0.3, windowDays: 30 }).groups // → [[0, 3, 4], [1], [2]]
 */
export function groupDocs(docs: readonly GroupDoc[], options: GroupOptions = {}): Grouping {
  const o = { ...DEFAULT_GROUP_OPTIONS, ...options };
  const n = docs.length;
  const { vectors, vocabulary, df } = tfidf(docs);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (docs[a]?.time ?? 0) - (docs[b]?.time ?? 0) || a - b);
  const maxDf = Math.max(MIN_MAX_DF, Math.floor(o.maxDfShare * n));
  const windowMs = o.windowDays * DAY_MS;
  const lowest = Math.min(o.threshold, o.unplacedThreshold);
  // postings[term] = docs (in time order) seen so far that carry the term, and the term's weight in each.
  // Made on first use: most of the vocabulary (one-off words) never proposes a candidate.
  const postings: (number[] | undefined)[] = new Array<number[] | undefined>(vocabulary.size);
  const postingWeights: (number[] | undefined)[] = new Array<number[] | undefined>(vocabulary.size);
  const partial = new Float64Array(n);
  const times = Float64Array.from(docs, (d) => d.time);
  const touched: number[] = [];
  const pairs: { a: number; b: number; c: number }[] = [];
  let pairsScored = 0;
  // Docs (in time order) by the places they name, for joins beyond the window.
  const byPlace = new Map<string, number[]>();
  const longMs = Math.max(o.longWindowDays, o.windowDays) * DAY_MS;
  const farTouched = new Set<number>();
  for (const i of order) {
    const d = docs[i];
    const v = vectors[i];
    if (!d || !v) continue;
    const oldest = d.time - windowMs;
    const keys = keyTerms(v, df, maxDf, o.keyTerms);
    for (const k of keys) {
      const t = v.ids[k] ?? 0;
      const w = v.weights[k] ?? 0;
      const list = postings[t] ?? [];
      const weights = postingWeights[t] ?? [];
      for (let p = list.length - 1; p >= 0; p--) {
        const j = list[p] ?? 0;
        if ((times[j] ?? 0) < oldest) break;
        if (partial[j] === 0) touched.push(j);
        partial[j] = (partial[j] ?? 0) + w * (weights[p] ?? 0);
      }
    }
    for (const j of touched) {
      const part = partial[j] ?? 0;
      partial[j] = 0;
      if (part < lowest * PREFILTER_SHARE) continue;
      const other = docs[j];
      const w = vectors[j];
      if (!other || !w) continue;
      // The cosine first: most candidates fail it, and it is cheaper than comparing place names.
      pairsScored++;
      const c = cosine(v, w);
      if (c < lowest || differentPlaces(d, other)) continue;
      const placed = d.places.size > 0 && other.places.size > 0 && shares(d.places, other.places);
      const need = placed || (d.places.size > 0) !== (other.places.size > 0) ? o.threshold : o.unplacedThreshold;
      if (c >= need) pairs.push({ a: i, b: j, c });
    }
    touched.length = 0;
    // Beyond the window: earlier docs naming one of this doc's places (a place named by very many docs says little).
    for (const place of d.places) {
      const list = byPlace.get(place);
      if (!list) continue;
      if (list.length <= maxDf) {
        for (let p = list.length - 1; p >= 0; p--) {
          const j = list[p] ?? 0;
          const t = times[j] ?? 0;
          if (t < d.time - longMs) break;
          if (t < oldest) farTouched.add(j);
        }
      }
    }
    for (const j of farTouched) {
      const other = docs[j];
      const w = vectors[j];
      if (!other || !w) continue;
      pairsScored++;
      const c = cosine(v, w);
      if (c >= o.longThreshold && !differentPlaces(d, other)) pairs.push({ a: i, b: j, c });
    }
    farTouched.clear();
    for (const place of d.places) {
      const list = byPlace.get(place);
      if (list) list.push(i);
      else byPlace.set(place, [i]);
    }
    for (const k of keys) {
      const t = v.ids[k] ?? 0;
      (postings[t] ??= []).push(i);
      (postingWeights[t] ??= []).push(v.weights[k] ?? 0);
    }
  }
  // Most similar pairs first (Kruskal's order); a join that would put different places in one group is refused,
  // so a message naming no place cannot bridge two compounds' complaints.
  pairs.sort((x, y) => y.c - x.c || x.a - y.a || x.b - y.b);
  const sets = new DisjointSets(n);
  const where = docs.map((d) => ({ places: new Set(d.places), streets: new Set(d.streets), districts: new Set(d.districts), cities: new Set(d.cities) }));
  let pairsJoined = 0;
  for (const { a, b } of pairs) {
    const ra = sets.find(a);
    const rb = sets.find(b);
    if (ra === rb) continue;
    const wa = where[ra];
    const wb = where[rb];
    if (!wa || !wb || differentPlaces(wa, wb)) continue;
    sets.union(ra, rb);
    const root = sets.find(ra);
    const [keep, gone] = root === ra ? [wa, wb] : [wb, wa];
    for (const x of gone.places) keep.places.add(x);
    for (const x of gone.streets) keep.streets.add(x);
    for (const x of gone.districts) keep.districts.add(x);
    for (const x of gone.cities) keep.cities.add(x);
    pairsJoined++;
  }
  const byRoot = new Map<number, number[]>();
  for (const i of order) {
    const r = sets.find(i);
    const g = byRoot.get(r);
    if (g) g.push(i);
    else byRoot.set(r, [i]);
  }
  const groups = [...byRoot.values()].sort((a, b) => b.length - a.length || (a[0] ?? 0) - (b[0] ?? 0));
  return { groups, vectors, vocabulary, pairsScored, pairsJoined };
}

