/**
 * Finer categories from keywords. The classifier predicts one of the seven top-level labels it was trained on;
 * `refineCategory` picks the finer category inside that branch from the catalogue's keywords, and lets keywords of
 * another branch override the prediction where the classifier cannot know better.
 *
 * Matching: a keyword matches when it is one of the text's jieba words (search mode, with the catalogue's keywords
 * as user words, so 煤气味 in 煤气味道 and 不热 in 暖气不热 are words but 不热 in 不热情 is not), or — for keywords of
 * three or more characters, specific enough — when it occurs anywhere in the text. A keyword weighs 1 at two
 * characters up to 2 at six or more, twice in the title; a category scores the sum over its matched keywords times
 * 1 + 0.1 per level below the top, so of a parent and a child matching the same words the child wins. Within the
 * predicted branch the top level itself is chosen only when none of its descendants matches: its keywords (小区,
 * 房屋) place a request in the branch but say nothing finer.
 *
 * Override (a category outside the predicted branch wins), in order:
 * 1. Alarm words (ALARM_WORDS: 煤气味, 着火, 路面塌陷…) always win, whatever the classifier says: a missed gas leak
 *    costs more than a misfiled smell. Not when their clause speaks of a risk, the past or a comparison (容易起火,
 *    去年发生过起火, 好像要着火一样): that is a hazard report or a story, not an emergency now. 爆炸 and 塌陷 are
 *    keywords but no alarm words: written requests use them mostly for tyres, quarries, metaphors and roofs.
 * 2. Otherwise keywords count by how specific they are: jieba's IDF says 政策, 价格, 希望, 办理 are everyday words
 *    (weight 0) and 停水, 液化气, 违建 are not (weight 1). Top-level categories and the 其他 branch are never override
 *    targets: their words say how people write, not what about. Then:
 *    - into a branch the classifier was not trained on (公用事业, 市场监管, 公共安全, 民政, 政务): the other category's
 *      specific score must reach OVERRIDE_MIN_SCORE (two keywords, or one in the title) and OVERRIDE_RATIO × the
 *      predicted branch's; for a short request (a call summary, ≤ SHORT_TEXT_CHARS) without any keyword of the
 *      predicted branch one keyword is enough (家里停水了). The classifier cannot predict these branches, so its
 *      confidence says nothing against them.
 *    - into another trained branch: only when the classifier is weak (confidence given and < WEAK_CONFIDENCE), with
 *      TRAINED_OVERRIDE_MIN_SCORE and TRAINED_OVERRIDE_RATIO. Measured on teddy2020 with the true label as the
 *      prediction, looser rules moved 10% of correctly labelled messages to a wrong trained branch.
 */
import { defaultCategories, trainingLabels } from '../../store/reference/index.js';
import type { Category } from '../../store/reference/index.js';
import { idf as idfTable } from '@node-rs/jieba/dict.js';
import { words } from '../similar/similar.js';
import { MAX_BODY_CHARS, MAX_TITLE_CHARS, normalizeText } from '../text/features.js';

export type RequestText = { title?: string | null; body?: string | null };

export type CategoryMatch = {
  category: Category;
  score: number;
  /** The score with each keyword weighed by how specific it is (jieba's IDF): what overrides rest on. */
  specificScore: number;
  /** Matched keywords, strongest first; title matches are marked 标题:. */
  matchedKeywords: string[];
};

export type Refinement = CategoryMatch & {
  /** The next best categories (up to 3), best first. */
  alternatives: CategoryMatch[];
  /** True when the category lies outside the branch the classifier predicted. */
  overridden: boolean;
  /** Chinese: why this category. */
  reason: string;
};

/** Words that name an emergency; any of them in a request picks the emergency category that lists it. */
export const ALARM_WORDS: readonly string[] = [
  '燃气泄漏', '煤气味', '燃气味', '天然气味', '闻到煤气', '臭鸡蛋味',
  '着火', '起火', '火情', '烧起来',
  '食物中毒', '集体腹泻',
  '路面塌陷', '塌坑',
  '井盖丢失', '没有井盖',
  '变压器冒烟', '电线掉落',
  '车被淹',
];

/** Branches keywords never override into: their words are how people write, not what about. */
export const NO_OVERRIDE_BRANCHES: readonly string[] = ['QT'];
export const OVERRIDE_MIN_SCORE = 2;
export const OVERRIDE_RATIO = 2;
export const WEAK_CONFIDENCE = 0.5;
export const TRAINED_OVERRIDE_MIN_SCORE = 3;
export const TRAINED_OVERRIDE_RATIO = 3;
/** A request this short (title + body, characters) is a call summary: one specific keyword may override. */
export const SHORT_TEXT_CHARS = 60;
export const SHORT_OVERRIDE_MIN_SCORE = 1;

// jieba IDF at or below which a keyword is everyday language (政策 4.5, 希望 5.2, 办理 6.6), and at or above which it
// is fully specific (停电 10.1, 停水 11.2); in between it counts in part (户口 8.0 → half).
const IDF_GENERIC = 6;
const IDF_SPECIFIC = 10;
const TITLE_FACTOR = 2;
const DEPTH_BONUS = 0.1;
const MAX_ALTERNATIVES = 3;
// A clause that speaks of a risk, the past or a comparison, not of something happening now.
const NOT_NOW = /隐患|风险|容易|可能|一旦|防止|预防|担心|避免|如果|万一|以免|以防|会|哪天|不知|怎么办|谁来|好像|一样|曾|去年|以前|之前|当年|多次|几次|发生过|上次|还记得|惨案|事故/;
const CLAUSE = /[^，。；！？,.;!?\n]+/g;

type Keyword = { text: string; weight: number; specificity: number };
type Indexed = { category: Category; order: number; depth: number; top: Category; keywords: readonly Keyword[] };
type Index = {
  all: Indexed[];
  byKey: Map<string, Indexed>;
  /** Every keyword, lower-cased, with whether it may match as a substring (three or more characters). */
  keywords: Map<string, { long: boolean }>;
  /** Distinct lengths (UTF-16) of the substring-matchable keywords, for scanning a text. */
  longLengths: number[];
  /** Keyword → the categories listing it. */
  holders: Map<string, Indexed[]>;
};
/** The normalised texts and the catalogue keywords found in each. */
type Analysed = { titleText: string; bodyText: string; title: ReadonlySet<string>; body: ReadonlySet<string> };

const indexes = new WeakMap<readonly Category[], Index>();

// Each catalogue is indexed once: depth, top-level ancestor, lower-cased keywords, their weights and specificity.
function indexOf(categories: readonly Category[]): Index {
  const cached = indexes.get(categories);
  if (cached) return cached;
  const byCode = new Map(categories.map((c) => [c.code, c]));
  const topOf = (c: Category): Category => {
    let cur = c;
    for (let guard = 0; cur.parent && guard < 10; guard++) cur = byCode.get(cur.parent) ?? cur;
    return cur;
  };
  const idf = idfOf(new Set(categories.flatMap((c) => c.keywords.map((k) => k.toLowerCase()))));
  const keywords = new Map<string, { long: boolean }>();
  const all: Indexed[] = categories.map((c, order) => ({
    category: c,
    order,
    depth: c.code.split('.').length,
    top: topOf(c),
    keywords: [...new Set(c.keywords.map((k) => k.toLowerCase()))].map((k) => {
      const chars = [...k].length;
      keywords.set(k, { long: chars >= 3 });
      const known = idf.get(k);
      const specificity = known === undefined ? 1 : Math.min(1, Math.max(0, (known - IDF_GENERIC) / (IDF_SPECIFIC - IDF_GENERIC)));
      return { text: k, weight: 0.5 + 0.25 * Math.min(6, Math.max(2, chars)), specificity };
    }),
  }));
  const byKey = new Map<string, Indexed>();
  for (const x of all) {
    byKey.set(x.category.code, x);
    if (!byKey.has(x.category.name)) byKey.set(x.category.name, x);
  }
  const longLengths = [...new Set([...keywords].filter(([, v]) => v.long).map(([k]) => k.length))].sort((a, b) => a - b);
  const holders = new Map<string, Indexed[]>();
  for (const x of all) for (const k of x.keywords) holders.set(k.text, [...(holders.get(k.text) ?? []), x]);
  const built = { all, byKey, keywords, longLengths, holders };
  indexes.set(categories, built);
  return built;
}

// IDF looked up so far (null: not in jieba's table). A catalogue reloaded with the same keywords costs no new scan.
const idfSeen = new Map<string, number | null>();

// jieba's IDF of the given words (from its bundled idf.txt, ~6 MB, scanned only for words not looked up before).
function idfOf(wanted: ReadonlySet<string>): Map<string, number> {
  const missing = new Set([...wanted].filter((w) => !idfSeen.has(w)));
  if (missing.size) {
    for (const w of missing) idfSeen.set(w, null);
    for (const line of Buffer.from(idfTable).toString('utf8').split('\n')) {
      const space = line.indexOf(' ');
      if (space <= 0) continue;
      const word = line.slice(0, space);
      if (missing.has(word)) idfSeen.set(word, Number(line.slice(space + 1)));
    }
  }
  const out = new Map<string, number>();
  for (const w of wanted) {
    const v = idfSeen.get(w);
    if (v !== undefined && v !== null) out.set(w, v);
  }
  return out;
}

function analyse(text: RequestText, index: Index): Analysed {
  const titleText = normalizeText(text.title ?? '', MAX_TITLE_CHARS).text;
  const bodyText = normalizeText(text.body ?? '', MAX_BODY_CHARS).text;
  return { titleText, bodyText, title: keywordsIn(titleText, index), body: keywordsIn(bodyText, index) };
}

// Keywords among the text's jieba words, plus long keywords anywhere in it (one map lookup per position and length).
function keywordsIn(text: string, index: Index): Set<string> {
  const out = new Set<string>();
  if (text === '') return out;
  for (const w of words(text)) if (index.keywords.has(w.word)) out.add(w.word);
  for (let i = 0; i < text.length; i++) {
    for (const len of index.longLengths) {
      if (i + len > text.length) break;
      const s = text.slice(i, i + len);
      if (index.keywords.get(s)?.long) out.add(s);
    }
  }
  return out;
}

function score(x: Indexed, a: Analysed): CategoryMatch {
  const hits: { label: string; weight: number; specificity: number }[] = [];
  for (const k of x.keywords) {
    if (a.title.has(k.text)) hits.push({ label: `标题:${k.text}`, weight: k.weight * TITLE_FACTOR, specificity: k.specificity });
    else if (a.body.has(k.text)) hits.push({ label: k.text, weight: k.weight, specificity: k.specificity });
  }
  hits.sort((p, q) => q.weight - p.weight);
  const depth = 1 + DEPTH_BONUS * (x.depth - 1);
  const round = (v: number): number => Math.round(v * depth * 100) / 100;
  return {
    category: x.category,
    score: round(hits.reduce((s, h) => s + h.weight, 0)),
    specificScore: round(hits.reduce((s, h) => s + h.weight * h.specificity, 0)),
    matchedKeywords: hits.map((h) => h.label),
  };
}

function rankMatches(index: Index, a: Analysed): CategoryMatch[] {
  // Only categories holding a found keyword are scored.
  const touched = new Set<Indexed>();
  for (const k of [...a.title, ...a.body]) for (const x of index.holders.get(k) ?? []) touched.add(x);
  // Ties go to the deeper category, then to catalogue order.
  return [...touched]
    .sort((p, q) => p.order - q.order)
    .map((x) => ({ m: score(x, a), depth: x.depth }))
    .sort((p, q) => q.m.score - p.m.score || q.depth - p.depth)
    .map((r) => r.m);
}

/**
 * Every category whose keywords occur in the text, best first.
 *
 * @example
 * searchCategoriesByKeywords('楼道里有很大的煤气味')[0]?.category.name // → '燃气泄漏'
 */
export function searchCategoriesByKeywords(text: string | RequestText, categories: readonly Category[] = defaultCategories): CategoryMatch[] {
  const index = indexOf(categories);
  return rankMatches(index, analyse(typeof text === 'string' ? { body: text } : text, index));
}

/**
 * The finer category within the predicted top-level branch, or from another branch when keywords override it
 * (rules in this file's header). `top` is a training label, or any category's name or code; `confidence` is the
 * classifier's, when known.
 *
 * @example
 * refineCategory({ top: '环境保护', body: '楼下烧烤店油烟直排' }).category.code // → 'HB.02'
 * refineCategory({ top: '城乡建设', body: '楼道里有很大的煤气味' }).category.name // → '燃气泄漏' (overridden)
 */
export function refineCategory(args: RequestText & { top: string; confidence?: number; categories?: readonly Category[] }): Refinement {
  const index = indexOf(args.categories ?? defaultCategories);
  const { all, byKey } = index;
  const a = analyse(args, index);
  const everywhere = rankMatches(index, a);
  const predicted = byKey.get(args.top);

  for (const m of everywhere) {
    const alarm = m.category.urgency === 'emergency' ? alarmWordOf(m.category, a) : undefined;
    if (!alarm) continue;
    const overridden = !predicted || !isWithin(m.category, predicted.category, byKey);
    return result(m, everywhere, overridden, `紧急关键词「${alarm}」优先：${overridden ? '改判' : '细分'}为「${m.category.name}」`);
  }
  if (!predicted) {
    const best = everywhere[0];
    if (best) return result(best, everywhere, true, `分类结果「${args.top}」不在目录中，按关键词取「${best.category.name}」`);
    const fallback = all.find((x) => NO_OVERRIDE_BRANCHES.includes(x.category.code)) ?? all[0];
    if (!fallback) throw new Error('refineCategory: the catalogue is empty');
    return { category: fallback.category, score: 0, specificScore: 0, matchedKeywords: [], alternatives: [], overridden: true, reason: `分类结果「${args.top}」不在目录中，也没有关键词命中，归入「${fallback.category.name}」` };
  }

  const inBranch = everywhere.filter((m) => isWithin(m.category, predicted.category, byKey));
  const bestIn = inBranch.find((m) => m.category.code !== predicted.category.code) ?? inBranch[0];
  const inSpecific = Math.max(0, ...inBranch.map((m) => m.specificScore));
  const candidates = everywhere
    .filter((m) => {
      const x = byKey.get(m.category.code);
      return x !== undefined && x.depth > 1 && !NO_OVERRIDE_BRANCHES.includes(x.top.code) && !isWithin(m.category, predicted.category, byKey);
    })
    .sort((p, q) => q.specificScore - p.specificScore);
  const bestOut = candidates[0];
  if (bestOut) {
    const outTop = byKey.get(bestOut.category.code)?.top.name ?? '';
    const trained = (trainingLabels as readonly string[]).includes(outTop);
    const weak = args.confidence !== undefined && args.confidence < WEAK_CONFIDENCE;
    const [min, ratio] = trained ? [TRAINED_OVERRIDE_MIN_SCORE, TRAINED_OVERRIDE_RATIO] : [OVERRIDE_MIN_SCORE, OVERRIDE_RATIO];
    // A short request (a call summary) with no word of the predicted branch may be carried by one specific keyword.
    const short = a.titleText.length + a.bodyText.length <= SHORT_TEXT_CHARS && inBranch.length === 0;
    const enough = bestOut.specificScore >= (short ? SHORT_OVERRIDE_MIN_SCORE : min);
    if ((!trained || weak) && enough && bestOut.specificScore >= ratio * inSpecific) {
      const why = trained ? `分类置信度 ${args.confidence ?? ''} 偏低，` : `「${outTop}」不在分类模型的类别中，`;
      return result(bestOut, everywhere, true, `${why}关键词（${bestOut.matchedKeywords.slice(0, 3).join('、')}）得分 ${bestOut.specificScore} 高于「${predicted.category.name}」下的 ${inSpecific}，改判为「${bestOut.category.name}」`);
    }
  }
  if (bestIn) {
    return result(bestIn, inBranch, false, `「${predicted.category.name}」下按关键词（${bestIn.matchedKeywords.slice(0, 3).join('、')}）细分为「${bestIn.category.name}」`);
  }
  return { category: predicted.category, score: 0, specificScore: 0, matchedKeywords: [], alternatives: [], overridden: false, reason: `「${predicted.category.name}」下没有关键词命中，保留分类结果` };
}

function result(chosen: CategoryMatch, ranked: readonly CategoryMatch[], overridden: boolean, reason: string): Refinement {
  const alternatives = ranked.filter((m) => m.category.code !== chosen.category.code).slice(0, MAX_ALTERNATIVES);
  return { ...chosen, alternatives, overridden, reason };
}

function isWithin(c: Category, ancestor: Category, byKey: ReadonlyMap<string, Indexed>): boolean {
  for (let cur: Category | undefined = c, guard = 0; cur && guard < 10; guard++) {
    if (cur.code === ancestor.code) return true;
    cur = cur.parent ? byKey.get(cur.parent)?.category : undefined;
  }
  return false;
}

// The first alarm word of the category found in a clause that reports it happening rather than a risk of it.
function alarmWordOf(c: Category, a: Analysed): string | undefined {
  return ALARM_WORDS.find((w) => c.keywords.includes(w) && (a.title.has(w) || a.body.has(w)) && [a.titleText, a.bodyText].some((t) => reportsHappening(t, w)));
}

function reportsHappening(text: string, word: string): boolean {
  return (text.match(CLAUSE) ?? []).some((clause) => clause.includes(word) && !NOT_NOW.test(clause));
}
