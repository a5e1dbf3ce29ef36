/**
 * Where a request's problem is: district, street/township and community, with a confidence and the evidence.
 *
 * How it decides, level by level:
 * 1. District: coordinates inside Beijing win (point in the district shapes). Otherwise every place name found in
 *    the address (weight 3), title (1.5) and body (1) votes for the districts it may lie in; a tie between
 *    districts is reported as ambiguous, with the district left null.
 * 2. Street, within that district: names of streets, communities and areas vote the same way; a tie leaves the
 *    street null and lists the candidates.
 * 3. Community, within that street.
 * Weak names (everyday words such as 南口, two-character community names) never pick a district; they count only
 * inside a district the text or the coordinates already established. Short forms of three characters or fewer
 * must sit on jieba word boundaries (常营 is not in 正常营业, 上地 not in 以上地方).
 */
import { segment } from '../similar/similar.js';
import { normalizeText } from '../text/features.js';
import { defaultGazetteer } from './gazetteer.js';
import type { Gazetteer, GazetteerName, NameKind, PlaceTarget } from './gazetteer.js';

export type LocateInput = {
  title?: string | null;
  body?: string | null;
  address?: string | null;
  lat?: number | null;
  lng?: number | null;
};

export type PlaceName = { code: string; name: string };

export type Location = {
  district: PlaceName | null;
  street: PlaceName | null;
  community: PlaceName | null;
  /** The landmark or area name the location rests on (国贸, 回天地区), when it does. */
  landmark?: string;
  codes: { district: string | null; street: string | null; community: string | null };
  /** 0 when nothing was found; see docs/intelligence-locate-route.md for how it is computed. */
  confidence: number;
  /** Readable Chinese reasons, in the order they were weighed. */
  evidence: string[];
  /** Candidates when a name fits several places and nothing decides between them. */
  ambiguous?: { district: PlaceName; street: PlaceName | null }[];
};

type Source = 'address' | 'title' | 'body';

const SOURCE_WEIGHT: Record<Source, number> = { address: 3, title: 1.5, body: 1 };
const SOURCE_LABEL: Record<Source, string> = { address: '地址', title: '标题', body: '正文' };
const KIND_WEIGHT: Record<NameKind, number> = { full: 1, short: 0.8, alias: 0.9, landmark: 0.9, area: 0.8 };
// Base confidence by the deepest level found, with and without coordinates backing the district.
const BASE = { community: [0.9, 0.95], street: [0.8, 0.9], district: [0.5, 0.7] } as const;
const AMBIGUOUS_CONFIDENCE = 0.2;
// The longest text read per field; place names sit early, and a cap keeps the locator fast.
const MAX_FIELD_CHARS = 2000;
const EPS = 1e-9;

type Mention = { source: Source; surface: string; name: GazetteerName; weight: number };
type Coordinates = { lat: number; lng: number };

/**
 * Locate a request. Pass a gazetteer to use other reference data; by default the shared one is built on first use.
 *
 * @example
 * locate({ body: '朝阳区望京西园三区楼下烧烤店油烟直排' });
 * // → { district: { code: '110105', name: '朝阳区' }, street: { code: '110105026', name: '望京街道' },
 * //     community: { code: '110105026051', name: '望京西园三区社区居委会' }, confidence: 0.9, evidence: [...] }
 */
export function locate(input: LocateInput, gazetteer: Gazetteer = defaultGazetteer()): Location {
  const g = gazetteer;
  const evidence: string[] = [];
  const coordinates = readCoordinates(input, g, evidence);
  const mentions = findMentions(input, g);
  const strong = mentions.filter((m) => !m.name.weak);

  // ── 1. district ──
  let districtCode: string | null = null;
  if (coordinates) {
    districtCode = coordinates.district;
  } else {
    const ranked = rank(strong, (t) => t.district);
    const [top, second] = ranked;
    if (!top) return nothingFound(input, mentions, evidence);
    if (second && second.score >= top.score - EPS) {
      const tied = ranked.filter((r) => r.score >= top.score - EPS).map((r) => r.key);
      return ambiguousDistricts(g, strong, tied, evidence);
    }
    districtCode = top.key;
  }
  const district = g.districts.get(districtCode);
  if (!district) return nothingFound(input, mentions, evidence);
  const inDistrict = mentions.filter((m) => m.name.targets.some((t) => t.district === districtCode));
  const districtScore = sum(inDistrict.filter((m) => !m.name.weak).map((m) => m.weight));
  // Names that point only elsewhere: with coordinates they are overruled, without they lost the vote.
  const conflicting = dedupe(strong.filter((m) => !m.name.targets.some((t) => t.district === districtCode)));
  const districtRivals = coordinates ? 0 : (rank(conflicting, (t) => t.district)[0]?.score ?? 0);

  // ── 2. street, within the district ──
  const streetRanked = rank(inDistrict, (t) => (t.district === districtCode ? t.street : null));
  const [topStreet, secondStreet] = streetRanked;
  let streetCode: string | null = null;
  let ambiguous: Location['ambiguous'];
  const notes: string[] = [];
  if (topStreet && !(secondStreet && secondStreet.score >= topStreet.score - EPS)) {
    streetCode = topStreet.key;
  } else if (topStreet) {
    const tied = streetRanked.filter((r) => r.score >= topStreet.score - EPS).map((r) => r.key);
    ambiguous = tied.map((code) => ({ district: place(district), street: placeOf(g.streets.get(code)) }));
    const names = tied.map((code) => g.streets.get(code)?.name ?? code);
    const by = inDistrict.find((m) => m.name.targets.filter((t) => t.district === districtCode && t.street).length > 1);
    notes.push(`${by ? `「${by.surface}」` : '文中的地名'}可指${district.name}的${names.join('、')}，无法确定具体街道`);
  }

  // ── 3. community, within the street ──
  const inStreet = streetCode === null ? [] : inDistrict.filter((m) => m.name.targets.some((t) => t.street === streetCode));
  const communityRanked = rank(inStreet, (t) => (t.street === streetCode ? t.community : null));
  const [topCommunity, secondCommunity] = communityRanked;
  const communityCode = topCommunity && !(secondCommunity && secondCommunity.score >= topCommunity.score - EPS) ? topCommunity.key : null;

  // ── evidence and confidence ──
  if (coordinates) evidence.unshift(coordinates.note);
  const used = inDistrict.filter((m) => supports(m, districtCode, streetCode, communityCode));
  for (const m of dedupe(used)) evidence.push(describe(g, m, districtCode, streetCode, communityCode));
  for (const m of conflicting) {
    const why = coordinates ? `与坐标所在的${district.name}不一致，以坐标为准` : `与得分更高的${district.name}不一致，未采用`;
    evidence.push(`${SOURCE_LABEL[m.source]}中的「${m.surface}」指向${districtNames(g, m.name.targets)}，${why}`);
  }
  evidence.push(...notes);
  if (streetCode) {
    const shared = used.find((m) => m.name.targets.some((t) => t.street !== null && t.district !== districtCode));
    if (shared) {
      const decidedBy = coordinates ? '坐标' : `文中的「${used.find((m) => m.name.targets.every((t) => t.district === districtCode))?.surface ?? district.name}」`;
      evidence.push(`「${shared.surface}」在${districtNames(g, shared.name.targets)}都有，按${decidedBy}取${district.name}`);
    }
  }
  const street = placeOf(g.streets.get(streetCode ?? ''));
  const community = placeOf(g.communities.get(communityCode ?? ''));
  if (!street && !ambiguous) {
    evidence.push('文中没有可识别的街道、社区名，只能确定到区');
  }

  const level = community ? 'community' : street ? 'street' : 'district';
  let confidence: number = BASE[level][coordinates ? 1 : 0];
  if (!coordinates && districtScore > 0) confidence *= 0.75 + 0.25 * (1 - districtRivals / districtScore);
  if (street && topStreet && secondStreet) confidence *= 0.75 + 0.25 * (1 - secondStreet.score / topStreet.score);
  if (street && used.every((m) => m.name.weak || !m.name.targets.some((t) => t.street === streetCode))) confidence *= 0.85;
  // A lone community name (no district, street or coordinates) is often a word that happens to be a name.
  if (!coordinates && used.length && used.every((m) => m.name.targets.every((t) => t.level === 'community'))) confidence *= 0.75;
  if (coordinates?.swapped) confidence *= 0.9;

  const landmark = used.find((m) => m.name.kind === 'landmark' || m.name.kind === 'area')?.surface;
  return {
    district: place(district),
    street,
    community,
    ...(landmark ? { landmark } : {}),
    codes: { district: district.code, street: street?.code ?? null, community: community?.code ?? null },
    confidence: round(confidence),
    evidence,
    ...(ambiguous ? { ambiguous } : {}),
  };
}

function readCoordinates(input: LocateInput, g: Gazetteer, evidence: string[]): (Coordinates & { district: string; note: string; swapped: boolean }) | null {
  const { lat, lng } = input;
  if (lat == null && lng == null) return null;
  if (typeof lat !== 'number' || typeof lng !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lng)) {
    evidence.push('坐标不完整或不是数字，忽略坐标');
    return null;
  }
  const at = `(${lat.toFixed(5)}, ${lng.toFixed(5)})`;
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180) {
    const swapped = Math.abs(lng) <= 90 ? g.districtAt(lng, lat) : null;
    if (swapped) return { lat: lng, lng: lat, district: swapped.code, note: `坐标 ${at} 纬度越界，经纬度颠倒后位于${swapped.name}`, swapped: true };
    evidence.push(`坐标 ${at} 超出经纬度范围，忽略坐标`);
    return null;
  }
  if (lat === 0 && lng === 0) {
    evidence.push('坐标为 (0, 0)，视为缺失');
    return null;
  }
  const d = g.districtAt(lat, lng);
  if (d) return { lat, lng, district: d.code, note: `坐标 ${at} 位于${d.name}`, swapped: false };
  const swapped = g.districtAt(lng, lat);
  if (swapped) return { lat: lng, lng: lat, district: swapped.code, note: `坐标 ${at} 经纬度颠倒，交换后位于${swapped.name}`, swapped: true };
  evidence.push(`坐标 ${at} 不在北京市范围内，改用文字判断`);
  return null;
}

function findMentions(input: LocateInput, g: Gazetteer): Mention[] {
  const out: Mention[] = [];
  for (const source of ['address', 'title', 'body'] as const) {
    const raw = input[source];
    if (typeof raw !== 'string' || raw === '') continue;
    const { text } = normalizeText(raw, MAX_FIELD_CHARS);
    for (const hit of g.find(text, boundaryChecker(text))) {
      if (!hit.name.targets.length) continue;
      out.push({ source, surface: text.slice(hit.start, hit.end), name: hit.name, weight: SOURCE_WEIGHT[source] * KIND_WEIGHT[hit.name.kind] });
    }
  }
  return out;
}

const CLAUSE_BREAK = /[\s,.;:!?，。；：！？、（）()【】[\]“”"'‘’《》]/;

/**
 * Whether a word boundary lies before an offset, by jieba's words. Only the clause around the offset is cut, and
 * only when a short name asks: clauses end at punctuation, where jieba breaks anyway, so their words are the text's.
 */
function boundaryChecker(text: string): (offset: number) => boolean {
  const cache = new Map<number, Set<number>>();
  return (offset) => {
    if (offset <= 0 || offset >= text.length) return true;
    if (CLAUSE_BREAK.test(text.charAt(offset)) || CLAUSE_BREAK.test(text.charAt(offset - 1))) return true;
    let start = offset;
    while (start > 0 && !CLAUSE_BREAK.test(text.charAt(start - 1))) start--;
    let bounds = cache.get(start);
    if (!bounds) {
      let end = offset;
      while (end < text.length && !CLAUSE_BREAK.test(text.charAt(end))) end++;
      bounds = new Set([start]);
      let at = start;
      for (const w of segment(text.slice(start, end))) {
        at += w.length;
        bounds.add(at);
      }
      // If the words do not spell the clause back, do not reject anything on their account.
      if (at !== end) for (let i = start; i <= end; i++) bounds.add(i);
      cache.set(start, bounds);
    }
    return bounds.has(offset);
  };
}

type Ranked = { key: string; score: number };

// Each mention votes once for every distinct key its targets map to (a name shared by two districts votes for both).
function rank(mentions: readonly Mention[], keyOf: (t: PlaceTarget) => string | null): Ranked[] {
  const scores = new Map<string, number>();
  for (const m of mentions) {
    const keys = new Set<string>();
    for (const t of m.name.targets) {
      const k = keyOf(t);
      if (k !== null) keys.add(k);
    }
    for (const k of keys) scores.set(k, (scores.get(k) ?? 0) + m.weight);
  }
  return [...scores].map(([key, score]) => ({ key, score })).sort((a, b) => b.score - a.score);
}

function supports(m: Mention, district: string, street: string | null, community: string | null): boolean {
  return m.name.targets.some(
    (t) =>
      t.district === district &&
      (t.street === null || street === null || t.street === street) &&
      (t.community === null || community === null || t.community === community),
  );
}

function dedupe(mentions: readonly Mention[]): Mention[] {
  const seen = new Set<string>();
  return mentions.filter((m) => {
    const k = `${m.source}|${m.surface}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function describe(g: Gazetteer, m: Mention, district: string, street: string | null, community: string | null): string {
  const t =
    m.name.targets.find((x) => x.district === district && (x.street === street || x.street === null) && (x.community === community || x.community === null)) ??
    m.name.targets.find((x) => x.district === district);
  const parts = [districtName(g, district)];
  // An area's many streets are not spelled out when none was chosen.
  const streetShown = street !== null || m.name.targets.filter((x) => x.district === district).length === 1;
  if (t?.street && streetShown) parts.push(g.streets.get(t.street)?.name ?? t.street);
  if (t?.community) parts.push(g.communities.get(t.community)?.name ?? t.community);
  const what = m.name.kind === 'landmark' ? '地标' : m.name.kind === 'area' ? '片区' : '';
  return `${SOURCE_LABEL[m.source]}中的${what}「${m.surface}」→ ${parts.join(' ')}`;
}

function ambiguousDistricts(g: Gazetteer, strong: readonly Mention[], tied: readonly string[], evidence: string[]): Location {
  const candidates: NonNullable<Location['ambiguous']> = [];
  const surfaces: string[] = [];
  for (const code of tied) {
    const d = g.districts.get(code);
    if (!d) continue;
    const streets = new Set<string>();
    for (const m of strong) {
      for (const t of m.name.targets) if (t.district === code && t.street) streets.add(t.street);
      if (m.name.targets.some((t) => t.district === code) && !surfaces.includes(m.surface)) surfaces.push(m.surface);
    }
    if (!streets.size) candidates.push({ district: place(d), street: null });
    for (const s of streets) candidates.push({ district: place(d), street: placeOf(g.streets.get(s)) });
  }
  evidence.push(`「${surfaces.join('」「')}」可指${tied.map((c) => districtName(g, c)).join('、')}，文中没有可区分的区名或坐标，无法确定所在区`);
  return { district: null, street: null, community: null, codes: { district: null, street: null, community: null }, confidence: AMBIGUOUS_CONFIDENCE, evidence, ambiguous: candidates };
}

function nothingFound(input: LocateInput, mentions: readonly Mention[], evidence: string[]): Location {
  const hasText = [input.address, input.title, input.body].some((s) => typeof s === 'string' && s.trim() !== '');
  if (!hasText) evidence.push('没有地址、标题或正文可读，无法定位');
  else if (mentions.length) evidence.push(`只找到常用词形式的地名（${[...new Set(mentions.map((m) => `「${m.surface}」`))].join('')}），又没有区名或坐标印证，无法定位`);
  else evidence.push('文中没有可识别的北京地名，无法定位');
  return { district: null, street: null, community: null, codes: { district: null, street: null, community: null }, confidence: 0, evidence };
}

function districtName(g: Gazetteer, code: string): string {
  return g.districts.get(code)?.name ?? code;
}

function districtNames(g: Gazetteer, targets: readonly PlaceTarget[]): string {
  return [...new Set(targets.map((t) => districtName(g, t.district)))].join('、');
}

function place(p: { code: string; name: string }): PlaceName {
  return { code: p.code, name: p.name };
}

function placeOf(p: { code: string; name: string } | undefined): PlaceName | null {
  return p ? place(p) : null;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function round(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 100) / 100;
}
