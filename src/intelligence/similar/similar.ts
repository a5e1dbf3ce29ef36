/**
 * Repeat detection (重复诉求): is an incoming request the same problem as an open order of the same place?
 *
 * A text's signature is its jieba words in search mode (路灯不亮 also yields 路灯 and 灯不亮), without stop words,
 * numbers and punctuation, weighted: catalogue keywords ×2 (they name the problem), place-like words ×0.3 (orders
 * compared here share the place anyway, so the road's name must not make two problems look alike), title words
 * count 1.5 times, then 1 + ln(tf). Similarity is the cosine of two signatures, halved when both texts name places
 * (roads, compounds) but none in common. See docs/intelligence-locate-route.md for the pairs the threshold was set on.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { defaultCategories } from '../../store/reference/index.js';
import { MAX_BODY_CHARS, MAX_TITLE_CHARS, normalizeText } from '../text/features.js';

/** A jieba word with its part-of-speech tag (`ns` place, `n` noun, `v` verb, `m` number…). */
export type Word = { word: string; tag: string };

export type TextSignature = {
  weights: ReadonlyMap<string, number>;
  norm: number;
  /** The same weights by word number (`wordNumber`), ascending, for the merge in `similarity`. */
  ids: Int32Array;
  values: Float64Array;
  /** Place-like words of three or more characters (东大街, 望京西园): two texts naming only different ones differ. */
  places: ReadonlySet<string>;
};

/** An open order to compare against; `signature` may be cached by the caller. */
export type OpenOrder = {
  id: string;
  title?: string | null;
  body?: string | null;
  streetCode?: string | null;
  communityCode?: string | null;
  acceptedAt: Date | string | number;
  signature?: TextSignature;
};

export type RepeatCandidate = Omit<OpenOrder, 'id' | 'acceptedAt'>;

export type RepeatOptions = {
  now: Date;
  /** How far back open orders count, in days (default 7). */
  windowDays?: number;
  /** Lowest similarity offered as a repeat (default DEFAULT_REPEAT_THRESHOLD). */
  threshold?: number;
  /** Return only the best this many (default all). */
  limit?: number;
};

/** Set between the pairs in similar.test.ts: twelve reports of one problem score ≥ 0.20 with each other, other
 * problems on the same road ≤ 0.11. */
export const DEFAULT_REPEAT_THRESHOLD = 0.15;

const DOMAIN_WEIGHT = 2;
const PLACE_WEIGHT = 0.3;
const TITLE_WEIGHT = 1.5;
// Both texts name a place (a road, a compound) and none in common: likely the same kind of problem elsewhere.
const PLACE_MISMATCH_FACTOR = 0.5;
// Frequent enough to win over splitting, rare enough not to swallow ordinary words around them.
const USER_WORD_FREQ = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

// Function words and the hotline's boilerplate: they appear in every request and say nothing about the problem.
const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    '的 了 是 在 有 和 与 及 或 就 都 也 还 又 很 太 更 最 非常 特别 比较 已经 一直 一下 一些 一个 这个 那个 这里 那里 这边 那边 ' +
    '这样 那样 什么 怎么 为什么 如何 是否 能否 可以 不能 没法 我 我们 我家 你 你们 他 她 它 他们 大家 自己 本人 ' +
    '市民 来电 反映 反应 投诉 举报 诉求 问题 情况 希望 要求 请求 尽快 及时 解决 处理 相关 部门 有关 单位 政府 领导 ' +
    '谢谢 您好 你好 请 麻烦 帮忙 目前 现在 当前 今天 昨天 前天 最近 近期 每天 天天 经常 时候 时间 期间 以来 之后 以后 ' +
    '附近 周边 周围 旁边 门口 对面 里面 外面 上面 下面 小区 居民 住户 业主 北京 北京市 严重 影响 生活 正常 出行 导致 造成 ' +
    '发现 看到 知道 觉得 认为 表示 告知 说 讲 问 去 来 到 让 给 被 把 对 向 从 由 为 因为 所以 但是 而且 如果 虽然 然后 ' +
    '几天 多天 好几天 一周 多次 多年 还是 仍然 依然 始终 根本 完全 一点 有点 没有人 没人管 无人 不管'
  ).split(' '),
);

/** Words numbered in the order first seen in this process: signatures compare as sorted number arrays. */
const wordNumbers = new Map<string, number>();
function wordNumber(word: string): number {
  let n = wordNumbers.get(word);
  if (n === undefined) {
    n = wordNumbers.size;
    wordNumbers.set(word, n);
  }
  return n;
}

const PLACE_SUFFIX = /(路|街|大街|道|桥|胡同|巷|里|园|区|村|庄|营|苑|号楼|号院|小区|社区|街道|地区)$/;

let shared: { jieba: Jieba; domain: ReadonlySet<string> } | undefined;

// One jieba per process (~40 MB, ~0.3–0.8 s to load), with the catalogue's keywords as user words so that
// 煤气味 and 路灯不亮 stay whole.
function segmenter(): { jieba: Jieba; domain: ReadonlySet<string> } {
  if (!shared) {
    const jieba = Jieba.withDict(dict);
    const keywords = [...new Set(defaultCategories.flatMap((c) => c.keywords))].filter((k) => /\p{Script=Han}/u.test(k) && !/\s/.test(k));
    jieba.loadDict(Buffer.from(keywords.map((w) => `${w} ${USER_WORD_FREQ} n`).join('\n')));
    // Problem words: keywords of the finer categories; top-level and 其他 keywords (反映, 建议, 安全) are too general.
    const domain = new Set(
      defaultCategories
        .filter((c) => c.parent !== undefined && !c.code.startsWith('QT'))
        .flatMap((c) => c.keywords)
        .filter((k) => !STOP_WORDS.has(k)),
    );
    shared = { jieba, domain };
  }
  return shared;
}

/**
 * The words of a text as jieba cuts it in search mode (each long word comes after its dictionary sub-words), each
 * with the part-of-speech tag of the word it came from. Pass normalised text; empty text has no words.
 *
 * @example
 * words('阜通东大街路灯不亮').map((w) => w.word) // → ['阜通', '东大', '大街', '东大街', '路灯', '灯不亮', '路灯不亮']
 */
export function words(text: string): Word[] {
  if (text.trim() === '') return [];
  // A request's text is cut for its category and again for its repeats: the last few cuts are kept (read-only).
  const known = recentCuts.get(text);
  if (known) return known;
  const cut = cutWords(text);
  if (recentCuts.size >= RECENT_CUTS) {
    const oldest = recentCuts.keys().next();
    if (!oldest.done) recentCuts.delete(oldest.value);
  }
  recentCuts.set(text, cut);
  return cut;
}

const RECENT_CUTS = 64;
const recentCuts = new Map<string, Word[]>();

function cutWords(text: string): Word[] {
  const { jieba } = segmenter();
  const tagged = jieba.tag(text, true);
  const search = jieba.cutForSearch(text, true);
  const out: Word[] = [];
  // cutForSearch emits each word's dictionary sub-words, then the word itself, in the order of tag()'s words.
  let k = 0;
  for (const t of tagged) {
    const start = k;
    while (k < search.length && search[k] !== t.word) k++;
    if (k === search.length) {
      k = start;
      out.push({ word: t.word, tag: t.tag });
      continue;
    }
    for (let i = start; i <= k; i++) out.push({ word: search[i] ?? '', tag: t.tag });
    k++;
  }
  return out;
}

/**
 * The text cut into jieba words (HMM on, catalogue keywords as user words); the words concatenate back to the text.
 *
 * @example
 * segment('正常营业') // → ['正常', '营业']
 */
export function segment(text: string): string[] {
  return text === '' ? [] : segmenter().jieba.cut(text, true);
}

/** True for a catalogue keyword: those words name a problem, and weigh double in signatures. */
export function isDomainWord(word: string): boolean {
  return segmenter().domain.has(word);
}

function termWeight(w: Word, domain: ReadonlySet<string>): number {
  if (STOP_WORDS.has(w.word)) return 0;
  if (domain.has(w.word)) return DOMAIN_WEIGHT;
  if (!/\p{L}/u.test(w.word) || w.tag === 'm' || w.word.length < 2) return 0;
  return isPlaceLike(w) ? PLACE_WEIGHT : 1;
}

function isPlaceLike(w: Word): boolean {
  return w.tag === 'ns' || (w.word.length >= 3 && PLACE_SUFFIX.test(w.word));
}

/**
 * The weighted words of a request (title counts twice).
 *
 * @example
 * const a = textSignature('路灯不亮', '阜通东大街路灯不亮，晚上一片漆黑');
 * [...a.weights.keys()] // → ['路灯', '灯不亮', '路灯不亮', '阜通', '东大', '大街', '东大街', '晚上', '漆黑']
 */
export function textSignature(title: string | null | undefined, body: string | null | undefined): TextSignature {
  const { domain } = segmenter();
  const tf = new Map<string, number>();
  const weightOf = new Map<string, number>();
  const places = new Set<string>();
  const addText = (raw: string | null | undefined, max: number, times: number): void => {
    if (!raw) return;
    for (const w of words(normalizeText(raw, max).text)) {
      const weight = termWeight(w, domain);
      if (weight === 0) continue;
      if (weight === PLACE_WEIGHT && w.word.length >= 3) places.add(w.word);
      tf.set(w.word, (tf.get(w.word) ?? 0) + times);
      // A word tagged as a place once and as a noun elsewhere keeps its larger weight.
      weightOf.set(w.word, Math.max(weightOf.get(w.word) ?? 0, weight));
    }
  };
  addText(title, MAX_TITLE_CHARS, TITLE_WEIGHT);
  addText(body, MAX_BODY_CHARS, 1);
  const weights = new Map<string, number>();
  const numbered: [number, number][] = [];
  let sq = 0;
  for (const [word, count] of tf) {
    const v = (weightOf.get(word) ?? 1) * (1 + Math.log(count));
    weights.set(word, v);
    numbered.push([wordNumber(word), v]);
    sq += v * v;
  }
  numbered.sort((a, b) => a[0] - b[0]);
  return { weights, norm: Math.sqrt(sq), places, ids: Int32Array.from(numbered, (x) => x[0]), values: Float64Array.from(numbered, (x) => x[1]) };
}

/**
 * Cosine similarity of two signatures, 0 (nothing shared) … 1 (same words, same weights).
 *
 * @example
 * similarity(textSignature('', '阜通东大街路灯不亮'), textSignature('', '阜通东大街的路灯坏了')) // → about 0.48
 */
export function similarity(a: TextSignature, b: TextSignature): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  // Both word lists are sorted by number: one merge finds the shared words (a repeat check compares hundreds).
  let dot = 0;
  let i = 0;
  let j = 0;
  const ai = a.ids;
  const bi = b.ids;
  while (i < ai.length && j < bi.length) {
    const x = ai[i] as number;
    const y = bi[j] as number;
    if (x === y) dot += (a.values[i++] as number) * (b.values[j++] as number);
    else if (x < y) i++;
    else j++;
  }
  const cosine = Math.min(1, dot / (a.norm * b.norm));
  return namesDifferentPlaces(a.places, b.places) ? cosine * PLACE_MISMATCH_FACTOR : cosine;
}

/** Higher similarity first; ties in id order (code points: a collation would cost more than what it decides). */
function better(a: { id: string; similarity: number }, b: { id: string; similarity: number }): boolean {
  return a.similarity > b.similarity || (a.similarity === b.similarity && a.id < b.id);
}

function namesDifferentPlaces(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size === 0 || b.size === 0) return false;
  for (const p of a) if (b.has(p)) return false;
  return true;
}

/**
 * Open orders that are likely the same problem as `candidate`: same street or same community, accepted in the last
 * `windowDays` days up to `now`, similarity ≥ threshold; best first. A candidate without a street or community has
 * no place to compare in, so it has no repeats.
 *
 * @example
 * findRepeats({ title: '路灯不亮', body: '阜通东大街路灯不亮', streetCode: '110105026' }, openOrders, { now: new Date() })
 * // → [{ id: 'o-1', similarity: 0.71 }, …]
 */
export function findRepeats(
  candidate: RepeatCandidate,
  openOrders: readonly OpenOrder[],
  options: RepeatOptions,
): { id: string; similarity: number }[] {
  const { now, windowDays = 7, threshold = DEFAULT_REPEAT_THRESHOLD, limit = Infinity } = options;
  const street = candidate.streetCode ?? null;
  const community = candidate.communityCode ?? null;
  if (!street && !community) return [];
  const to = now.getTime();
  const from = to - windowDays * DAY_MS;
  const mine = candidate.signature ?? textSignature(candidate.title, candidate.body);
  const out: { id: string; similarity: number }[] = [];
  for (const o of openOrders) {
    const samePlace = (street !== null && o.streetCode === street) || (community !== null && o.communityCode === community);
    if (!samePlace) continue;
    const at = o.acceptedAt instanceof Date ? o.acceptedAt.getTime() : new Date(o.acceptedAt).getTime();
    if (!(at >= from && at <= to)) continue;
    const s = similarity(mine, o.signature ?? textSignature(o.title, o.body));
    if (s < threshold) continue;
    const hit = { id: o.id, similarity: Math.round(s * 1000) / 1000 };
    if (out.length < limit) out.push(hit);
    else if (better(hit, out[out.length - 1] as typeof hit)) out[out.length - 1] = hit;
    else continue;
    // Keep `out` sorted, so the worst kept is last: one insertion step per hit.
    for (let i = out.length - 1; i > 0 && better(out[i] as typeof hit, out[i - 1] as typeof hit); i--) [out[i - 1], out[i]] = [out[i] as typeof hit, out[i - 1] as typeof hit];
  }
  return out;
}
