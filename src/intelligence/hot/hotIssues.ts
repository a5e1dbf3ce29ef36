/**
 * Hot issues (热点问题): many messages about one problem in one place and time, ranked by a heat index.
 *
 * 1. Each message becomes three blocks of terms: the shared jieba's search words of the title (weight 1) and of the
 *    body's first `MAX_BODY_CHARS` (0.8), and the places and areas named in the title and the body's first
 *    `LEAD_CHARS` (`@丽发新城`, `#A2区`; 0.5); see places.ts.
 * 2. `groupDocs` joins messages at most `windowDays` apart whose TF-IDF cosine reaches the threshold and that do not
 *    name different places (or the same place, further apart, at a higher cosine); groups are built from the most
 *    similar pairs down and never hold two different places (group.ts).
 * 3. Exact copies (same title, body and minute, as the teddy2020 data has from merged files) count once for people
 *    and reactions.
 * 4. Each group of at least `minMessages` messages from at least `minPeople` people gets a heat (heat.ts), a place
 *    (its most named area and specific place), a time span, keywords and a description (the title of its most
 *    central message), and the list is ranked by heat.
 */
import { searchTerms } from '../text/words.js';
import { normalizeText } from '../text/features.js';
import { shanghaiDate } from '../../domain/deadline/index.js';
import { extractPlaces, splitAreaCodes } from './places.js';
import { cosine, groupDocs, type GroupDoc, type GroupOptions, type TfIdfVector } from './group.js';
import { DEFAULT_HALF_LIFE_DAYS, heatIndex, type HeatSignals } from './heat.js';

/** One message (request) to mine. */
export type HotMessage = {
  id: string;
  title?: string | null;
  body?: string | null;
  time: Date;
  likes?: number | null;
  dislikes?: number | null;
  /** Who wrote it; messages without one each count as a person of their own. */
  user?: string | null;
  /** Known areas of the message (e.g. the order's district and street names), added to what the text names. */
  areas?: readonly string[] | null;
};

export type HotOptions = GroupOptions & {
  /** Reference time for recency (default: the latest message). */
  now?: Date;
  /** Recency half-life in days (default 30). */
  halfLifeDays?: number;
  /** Fewest messages in an issue (default 2). */
  minMessages?: number;
  /** Fewest distinct people in an issue (default 2): one person's repeated posts are not a hot issue. */
  minPeople?: number;
  /** How many issues to return (default 10; 0 for all). */
  top?: number;
};

export type HotIssue = {
  rank: number;
  heat: number;
  /** Where: area and specific place, e.g. A市A2区丽发新城; null when the messages name none. */
  place: string | null;
  /** First and last message, Beijing dates (YYYY-MM-DD). */
  from: string;
  to: string;
  /** The title of the most central message (or the start of its body). */
  description: string;
  /** The words that weigh most in the group, places left out. */
  keywords: string[];
  /** Message ids in time order. */
  ids: string[];
  signals: HeatSignals;
};

/** A message's features, computed once; exported for benchmarks and for callers that featurise in slices. */
export type MessageFeatures = GroupDoc & { areas: string[]; placeList: string[] };

// Block weights, set on the teddy2020 hot messages (docs/intelligence-hot-reply.md): the title states the problem,
// the body adds its words, the places pin it down without making two problems of one compound look alike.
const TITLE_WEIGHT = 1;
const BODY_WEIGHT = 0.8;
const PLACE_WEIGHT = 0.5;
/** Bodies are cut here: the problem is stated early, and long letters drift into many topics (the top 10 on the
 * teddy2020 data are the same at 400, 600 and 1,200 characters). */
export const MAX_BODY_CHARS = 600;
/** Places are taken from the title and this much of the body. */
export const LEAD_CHARS = 80;
const PLACE_KEY = '@';
const AREA_KEY = '#';
const KEYWORDS = 5;
// Words of every complaint (where it is, that it is one): they describe no problem.
const KEYWORD_STOP: ReadonlySet<string> = new Set(
  '附近 周边 旁边 小区 社区 业主 居民 市民 问题 情况 反映 投诉 举报 建议 咨询 关于 希望 要求 请求 解决 处理 相关 部门 政府 领导 严重 影响 现在 目前 已经 一直 没有 二期 三期'.split(' '),
);
const DESCRIPTION_CHARS = 60;

const isCity = (a: string): boolean => a.endsWith('市');
const isProvince = (a: string): boolean => a.endsWith('省');
const isStreet = (a: string): boolean => /(街道|镇|乡|地区)$/.test(a);

/**
 * The terms and places of one message.
 *
 * @example
 * const f = messageFeatures({ title: '丽发新城搅拌站噪音', body: 'A2区丽发新城附近搅拌站噪音扰民', time: new Date() });
 * [...f.places] // → ['丽发新城']; [...f.districts] // → ['A2区']; f.blocks[0].terms // → ['丽发', '新城', '搅拌', '搅拌站', '噪音']
 */
export function messageFeatures(m: Pick<HotMessage, 'title' | 'body' | 'time' | 'areas'>): MessageFeatures {
  const title = m.title ?? '';
  const body = normalizeText(m.body ?? '', MAX_BODY_CHARS).text;
  // Area codes (A2区) are cut out before jieba, which would glue them to the next name.
  const titleTerms = searchTerms(splitAreaCodes(title).text);
  const bodyTerms = searchTerms(splitAreaCodes(body).text);
  // Where a complaint is, it says at the start; further on, bodies name other places in passing.
  const found = extractPlaces(`${title}。${body.slice(0, LEAD_CHARS)}`);
  const areas = [...new Set([...found.areas, ...(m.areas ?? [])])];
  const placeTerms = [...found.places.map((p) => PLACE_KEY + p), ...areas.map((a) => AREA_KEY + a)];
  const blocks = [
    { terms: titleTerms, weight: TITLE_WEIGHT },
    { terms: bodyTerms, weight: BODY_WEIGHT },
    { terms: placeTerms, weight: PLACE_WEIGHT },
  ];
  return {
    blocks,
    time: m.time.getTime(),
    places: new Set(found.places),
    streets: new Set(areas.filter(isStreet)),
    districts: new Set(areas.filter((a) => !isCity(a) && !isProvince(a) && !isStreet(a))),
    cities: new Set(areas.filter(isCity)),
    areas,
    placeList: found.places,
  };
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

// The most named value among members (at least `minShare` of them); a longer name that contains it and is named
// nearly as often wins (伊景园滨河苑 over 滨河苑), so a group's place is as precise as its messages agree on.
function mostNamed(lists: readonly (readonly string[])[], minShare: number): string | null {
  const counts = new Map<string, number>();
  for (const l of lists) for (const x of new Set(l)) counts.set(x, (counts.get(x) ?? 0) + 1);
  let top: string | null = null;
  let max = 0;
  for (const [x, c] of counts) {
    if (c > max || (c === max && top !== null && x.length < top.length)) {
      top = x;
      max = c;
    }
  }
  if (top === null || max < minShare * lists.length) return null;
  let best = top;
  for (const [x, c] of counts) {
    if (c >= 0.8 * max && x.length > best.length && x.length <= 8 && x.includes(top)) best = x;
  }
  return best;
}

function placeOf(members: readonly MessageFeatures[]): string | null {
  const city = mostNamed(members.map((m) => [...m.cities]), 0.3);
  const district = mostNamed(members.map((m) => [...m.districts]), 0.3);
  const street = mostNamed(members.map((m) => [...m.streets]), 0.3);
  const specific = mostNamed(members.map((m) => m.placeList), 0.3);
  const parts = [city, district, street, specific].filter((p): p is string => p !== null);
  // A specific place that already starts with its district (朝阳区望京) is not prefixed twice.
  return parts.length ? parts.reduce((acc, p) => (acc.endsWith(p) || p.startsWith(acc) ? p : acc + p), '') : null;
}

function keywordsOf(centroid: Map<number, number>, vocabulary: readonly string[], place: string | null): string[] {
  const ranked = [...centroid.entries()]
    .map(([id, w]) => ({ term: vocabulary[id] ?? '', w }))
    .filter((x) => x.term.length >= 2 && !x.term.startsWith(PLACE_KEY) && !x.term.startsWith(AREA_KEY) && !/^\d+$/.test(x.term))
    .filter((x) => !KEYWORD_STOP.has(x.term))
    .filter((x) => !(place && place.includes(x.term)))
    .sort((a, b) => b.w - a.w || a.term.localeCompare(b.term));
  const out: string[] = [];
  for (const { term } of ranked) {
    if (out.length >= KEYWORDS) break;
    // searchTerms yields a word and its parts (公积金, 公积, 积金): keep the longest one.
    if (out.some((k) => k.includes(term))) continue;
    for (let i = out.length - 1; i >= 0; i--) if (term.includes(out[i] ?? '\u0000')) out.splice(i, 1);
    out.push(term);
  }
  return out;
}

function describe(m: HotMessage): string {
  const clean = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();
  const title = clean(m.title);
  const text = title !== '' ? title : clean(m.body);
  return text.length > DESCRIPTION_CHARS ? `${text.slice(0, DESCRIPTION_CHARS)}…` : text;
}

/** Same title, same body and the same minute: one message copied twice (merged data files), not two people. */
function copyKey(m: HotMessage): string {
  return `${normalizeText(m.title ?? '', 200).text}|${normalizeText(m.body ?? '', 200).text}|${Math.floor(m.time.getTime() / 60_000)}`;
}

/**
 * Hot issues among `messages`, hottest first.
 *
 * @example
 * findHotIssues(messages, { top: 5 }) // the teddy2020 hot messages
 * // → [{ rank: 1, heat: 70.01, place: 'A市A2区暮云街道丽发新城', from: '2019-11-02', to: '2020-01-26',
 * //      description: '丽发新城小区附近的搅拌站噪音严重扰民', keywords: ['搅拌站', '噪音', …], ids: [55 ids], signals: {…} }, …]
 */
export function findHotIssues(messages: readonly HotMessage[], options: HotOptions = {}): HotIssue[] {
  const features = messages.map((m) => messageFeatures(m));
  return hotIssuesFromFeatures(messages, features, options);
}

/** `findHotIssues` with the features already computed (`features[i]` belongs to `messages[i]`). */
export function hotIssuesFromFeatures(messages: readonly HotMessage[], features: readonly MessageFeatures[], options: HotOptions = {}): HotIssue[] {
  if (messages.length !== features.length) throw new RangeError('hotIssuesFromFeatures: one feature set per message');
  const minMessages = options.minMessages ?? 2;
  const minPeople = options.minPeople ?? 2;
  const top = options.top ?? 10;
  const latest = messages.reduce((t, m) => Math.max(t, m.time.getTime()), -Infinity);
  const now = options.now?.getTime() ?? (Number.isFinite(latest) ? latest : 0);
  const { now: _now, halfLifeDays: _h, minMessages: _m, minPeople: _p, top: _t, ...groupOptions } = options;
  const grouping = groupDocs(features, groupOptions);
  const vocabulary: string[] = [];
  for (const [term, id] of grouping.vocabulary) vocabulary[id] = term;
  const issues: Omit<HotIssue, 'rank'>[] = [];
  for (const group of grouping.groups) {
    if (group.length < minMessages) break; // groups come largest first
    // Copies count once: one time, one person, the larger reaction of the two.
    const copies = new Map<string, number>();
    const people = new Set<string>();
    const times: number[] = [];
    let reactions = 0;
    const reactionOf = new Map<string, number>();
    group.forEach((i, k) => {
      const m = messages[i];
      if (!m) return;
      const key = copyKey(m);
      const r = Math.max(0, m.likes ?? 0) + Math.max(0, m.dislikes ?? 0);
      if (copies.has(key)) {
        reactionOf.set(key, Math.max(reactionOf.get(key) ?? 0, r));
        return;
      }
      copies.set(key, i);
      reactionOf.set(key, r);
      times.push(m.time.getTime());
      people.add(m.user ? `u:${m.user}` : `m:${k}`);
    });
    for (const r of reactionOf.values()) reactions += r;
    if (people.size < minPeople || times.length < minMessages) continue;
    const members = group.map((i) => features[i]).filter((f): f is MessageFeatures => f !== undefined);
    const centroid = new Map<number, number>();
    for (const i of group) {
      const v = grouping.vectors[i];
      if (!v) continue;
      v.ids.forEach((id, k) => centroid.set(id, (centroid.get(id) ?? 0) + (v.weights[k] ?? 0)));
    }
    const centroidVector = toVector(centroid);
    let central = group[0] ?? 0;
    let best = -1;
    for (const i of group) {
      const v = grouping.vectors[i];
      const c = v ? cosine(v, centroidVector) : 0;
      if (c > best) {
        best = c;
        central = i;
      }
    }
    const place = placeOf(members);
    const { heat, signals } = heatIndex({ times, people: people.size, reactions }, { now, halfLifeDays: options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS });
    const first = Math.min(...times);
    const last = Math.max(...times);
    const centralMessage = messages[central];
    issues.push({
      heat,
      place,
      from: shanghaiDate(new Date(first)),
      to: shanghaiDate(new Date(last)),
      description: centralMessage ? describe(centralMessage) : '',
      keywords: keywordsOf(centroid, vocabulary, place),
      ids: group.map((i) => messages[i]?.id ?? ''),
      signals,
    });
  }
  issues.sort((a, b) => b.heat - a.heat || b.ids.length - a.ids.length || a.from.localeCompare(b.from));
  const ranked = issues.map((x, k) => ({ rank: k + 1, ...x }));
  return top > 0 ? ranked.slice(0, top) : ranked;
}

function toVector(weights: Map<number, number>): TfIdfVector {
  const ids = Int32Array.from([...weights.keys()].sort((a, b) => a - b));
  const raw = Float64Array.from(ids, (id) => weights.get(id) ?? 0);
  const norm = Math.sqrt(raw.reduce((s, w) => s + w * w, 0)) || 1;
  return { ids, weights: raw.map((w) => round(w / norm, 12)) };
}
