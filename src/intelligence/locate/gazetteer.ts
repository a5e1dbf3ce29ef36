/**
 * The gazetteer: every name a request may use for a place in Beijing, built once from the reference divisions
 * (16 districts, 349 streets/townships, 7,535 communities/villages), the curated aliases and the district shapes.
 *
 * Names are found with a dictionary matcher (leftmost-longest over a two-character prefix index), not with jieba:
 * the list is closed and exact, a match must not depend on word probabilities, and loading ~25k place names into
 * jieba as user words would change how it cuts everyone else's text.
 */
import { loadDistrictShapes, loadDivisions } from '../../store/reference/index.js';
import type { Community, District, DistrictShapes, Divisions, Position, Street } from '../../store/reference/index.js';
import { commonWordCommunityNames, commonWordShortNames, notPlaces, placeAliases } from './aliases.js';
import type { AliasKind, PlaceAlias } from './aliases.js';

export type PlaceLevel = 'district' | 'street' | 'community';
/** full: the official name (or it without 居委会); short: a derived short name; the rest come from aliases.ts. */
export type NameKind = 'full' | 'short' | AliasKind;

/** One place a name may mean; `street`/`community` are null above their level. */
export type PlaceTarget = { level: PlaceLevel; district: string; street: string | null; community: string | null };

export type GazetteerName = {
  /** The form as matched (lower-cased). */
  surface: string;
  kind: NameKind;
  /** An everyday word or a two-character community name: evidence only inside an already known district. */
  weak: boolean;
  /** Empty for words that only block a shorter match (东四环 is not 东四街道). */
  targets: readonly PlaceTarget[];
  /** A short form (three characters or fewer) that must start on a word boundary and end on one or run into a
   * place word (王府井大街): 常营 is not in 正常营业, 大兴 not in 大兴土木. */
  needsBoundary: boolean;
  /** What may not follow it: 双井镇 and 朝阳市 are other places than 双井街道 and 朝阳区. */
  badNext: ReadonlySet<string>;
};

/** A name found in a text, with its UTF-16 offsets. */
export type NameHit = { name: GazetteerName; start: number; end: number };

export type Gazetteer = {
  districts: ReadonlyMap<string, District>;
  streets: ReadonlyMap<string, Street>;
  communities: ReadonlyMap<string, Community>;
  /** Number of distinct surface forms. */
  size: number;
  /** The name exactly as written, if known. */
  lookup(surface: string): GazetteerName | undefined;
  /** Leftmost-longest, non-overlapping names in a normalised (lower-cased) text; where the longest is weak, the
   * longest strong name starting at the same place is found too. `isBoundary(i)` says whether a word boundary lies
   * before offset i (short forms are dropped when they do not sit on boundaries); without it every offset is one. */
  find(text: string, isBoundary?: (offset: number) => boolean): NameHit[];
  /** The district whose shape contains the point, or null outside Beijing. */
  districtAt(lat: number, lng: number): District | null;
};

const STREET_SUFFIX = /(街道|地区|镇|乡)$/;
// Longest suffixes first, so 社区居委会 is cut whole rather than leaving 社区.
const COMMUNITY_SUFFIX = /(社区居民委员会|社区居委会|居民委员会|居委会|虚拟社区|社区)$/;
const VILLAGE_SUFFIX = /(村民委员会|村委会)$/;
const ETHNIC_TOWNSHIP = /(回族|满族|蒙古族)乡$/;

/**
 * Short form of a district name: 朝阳区 → 朝阳, 门头沟区 → 门头沟.
 * @example shortDistrictName('朝阳区') // → '朝阳'
 */
export function shortDistrictName(name: string): string {
  return name.replace(/区$/, '');
}

/**
 * Short form of a street/township name, or null when nothing useful is left (张镇 → 张 is too short):
 * 望京街道 → 望京, 南口地区 → 南口, 于家务回族乡 → 于家务; development zones keep their full name.
 * @example shortStreetName('望京街道') // → '望京'
 */
export function shortStreetName(name: string): string | null {
  const short = name.replace(ETHNIC_TOWNSHIP, '').replace(STREET_SUFFIX, '');
  return short !== name && short.length >= 2 ? short : null;
}

/**
 * The forms a community/village name is written in, full forms first:
 * 花家地西里社区居委会 → [花家地西里社区居委会, 花家地西里社区, 花家地西里]; 辛庄村委会 → [辛庄村委会, 辛庄村, 辛庄].
 * @example communityForms('望京西园三区社区居委会')
 * // → { full: ['望京西园三区社区居委会', '望京西园三区社区'], short: ['望京西园三区', '望京西园3区'] }
 */
export function communityForms(name: string): { full: string[]; short: string[] } {
  const full = new Set<string>([name]);
  const short = new Set<string>();
  const co = name.match(/合作社(?<place>[^）)]+)生活区$/);
  if (/生活区$/.test(name)) {
    // 唐家岭村股份经济合作社生活区 → 唐家岭村, 唐家岭; 万柳（集团）股份经济合作社六郎庄生活区 → 六郎庄.
    const stem = co?.groups?.place ?? name.replace(/股份经济合作社生活区$/, '');
    short.add(stem);
    if (stem.endsWith('村')) short.add(stem.slice(0, -1));
  } else if (VILLAGE_SUFFIX.test(name)) {
    const stem = name.replace(VILLAGE_SUFFIX, '');
    const village = stem.endsWith('村') ? stem : `${stem}村`;
    full.add(village);
    short.add(village.slice(0, -1));
  } else if (COMMUNITY_SUFFIX.test(name)) {
    const stem = name.replace(COMMUNITY_SUFFIX, '');
    if (/(社区居民委员会|社区居委会)$/.test(name)) full.add(`${stem}社区`);
    short.add(stem);
  } else if (name.endsWith('村')) {
    short.add(name.slice(0, -1));
  }
  for (const s of [...short]) {
    const arabic = arabicNumeralForm(s);
    if (arabic) short.add(arabic);
  }
  return { full: [...full], short: [...short].filter((s) => s.length >= 2 && !full.has(s)) };
}

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

// 望京西园三区 → 望京西园3区: addresses write block numbers either way.
function arabicNumeralForm(name: string): string | null {
  const out = name.replace(/([一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])(?=区|里|条|巷|街|队|号)/g, (m) => {
    if (!m.includes('十')) return String(CN_DIGITS[m] ?? m);
    const [tens, ones] = m.split('十');
    return String((tens ? (CN_DIGITS[tens] ?? 1) : 1) * 10 + (ones ? (CN_DIGITS[ones] ?? 0) : 0));
  });
  return out === name ? null : out;
}

// Institutions' compounds (教育部社区, 水泥厂社区) are named after what texts mostly talk about as institutions.
const INSTITUTION = /(部|厂|医院|公司|大学|学院|研究院|所|中心|局|站|场|队|矿|库|馆|大院|学校)$/;

/** Whether a community form is too common a word to place a request on its own. */
function isWeakCommunityName(form: string, officialName: string): boolean {
  if (form === officialName) return false;
  if (form.length <= 2 || commonWordCommunityNames.has(form)) return true;
  if (/^[一二三四五六七八九十0-9]+条$/.test(form)) return true;
  // 幸福村, 新农村: a village on a two-character stem is as common as the stem.
  if (form.endsWith('村') && form.length <= 3) return true;
  return INSTITUTION.test(form) && !/号院$/.test(form);
}

// Which source a surface keeps when several claim it: blockers, then curated aliases, then higher levels.
const RANK = { block: 0, alias: 1, district: 2, street: 3, community: 4 } as const;
type Rank = (typeof RANK)[keyof typeof RANK];
type Draft = { rank: Rank; kind: NameKind; weak: boolean; targets: PlaceTarget[] };

const KIND_STRENGTH: Record<NameKind, number> = { full: 0, alias: 1, landmark: 1, area: 1, short: 2 };

function targetKey(t: PlaceTarget): string {
  return `${t.level}:${t.community ?? t.street ?? t.district}`;
}

/** Build the gazetteer; `defaultGazetteer()` keeps one per process. */
export function buildGazetteer(
  divisions: Divisions = loadDivisions(),
  shapes: DistrictShapes = loadDistrictShapes(),
  aliases: readonly PlaceAlias[] = placeAliases,
): Gazetteer {
  const districts = new Map(divisions.districts.map((d) => [d.code, d]));
  const streets = new Map(divisions.streets.map((s) => [s.code, s]));
  const communities = new Map(divisions.communities.map((c) => [c.code, c]));
  const drafts = new Map<string, Draft>();

  const add = (surfaceRaw: string, rank: Rank, kind: NameKind, weak: boolean, targets: PlaceTarget[]): void => {
    const surface = surfaceRaw.toLowerCase();
    if (surface.length < 2) return;
    const prev = drafts.get(surface);
    if (!prev || rank < prev.rank) {
      drafts.set(surface, { rank, kind, weak, targets: [...targets] });
      return;
    }
    if (rank > prev.rank) return;
    // Same rank: one name, several places (八里庄街道 in 朝阳 and 海淀; 262 community names repeat).
    const seen = new Set(prev.targets.map(targetKey));
    for (const t of targets) if (!seen.has(targetKey(t))) prev.targets.push(t);
    if (KIND_STRENGTH[kind] < KIND_STRENGTH[prev.kind]) prev.kind = kind;
    prev.weak = prev.weak && weak;
  };

  for (const word of notPlaces) add(word, RANK.block, 'alias', false, []);
  for (const a of aliases) {
    const targets: PlaceTarget[] = a.streets.length
      ? a.streets.map((s) => ({ level: 'street', district: a.district, street: s, community: null }))
      : [{ level: 'district', district: a.district, street: null, community: null }];
    for (const n of a.names) add(n, RANK.alias, a.kind, false, targets);
  }
  for (const d of divisions.districts) {
    const target: PlaceTarget = { level: 'district', district: d.code, street: null, community: null };
    add(d.name, RANK.district, 'full', false, [target]);
    add(shortDistrictName(d.name), RANK.district, 'short', false, [target]);
  }
  for (const s of divisions.streets) {
    const target: PlaceTarget = { level: 'street', district: s.district, street: s.code, community: null };
    add(s.name, RANK.street, 'full', false, [target]);
    const short = shortStreetName(s.name);
    if (short) add(short, RANK.street, 'short', commonWordShortNames.has(short), [target]);
  }
  for (const c of divisions.communities) {
    const street = streets.get(c.street);
    if (!street) continue;
    const target: PlaceTarget = { level: 'community', district: street.district, street: street.code, community: c.code };
    const forms = communityForms(c.name);
    for (const f of forms.full) add(f, RANK.community, 'full', isWeakCommunityName(f, c.name), [target]);
    for (const f of forms.short) add(f, RANK.community, 'short', isWeakCommunityName(f, c.name), [target]);
  }

  const names = new Map<string, GazetteerName>();
  // Two-character prefix → surfaces, longest first: the first that matches at a position is the longest.
  const index = new Map<string, string[]>();
  for (const [surface, d] of drafts) {
    const short = d.kind !== 'full' && d.targets.length > 0 && surface.length <= 3;
    names.set(surface, { surface, kind: d.kind, weak: d.weak, targets: d.targets, needsBoundary: short, badNext: badNextOf(d, streets) });
    const key = surface.slice(0, 2);
    const list = index.get(key);
    if (list) list.push(surface);
    else index.set(key, [surface]);
  }
  for (const list of index.values()) list.sort((a, b) => b.length - a.length);

  const find = (text: string, isBoundary: (offset: number) => boolean = () => true): NameHit[] => {
    const hits: NameHit[] = [];
    let i = 0;
    while (i < text.length - 1) {
      const list = index.get(text.slice(i, i + 2)) ?? [];
      let longest: NameHit | undefined;
      for (const surface of list) {
        const name = names.get(surface);
        if (!name || !text.startsWith(surface, i)) continue;
        const end = i + surface.length;
        if (name.badNext.has(text.charAt(end))) continue;
        if (name.needsBoundary && !(isBoundary(i) && (isBoundary(end) || PLACE_CONTINUATION.test(text.slice(end, end + 4))))) continue;
        const hit = { name, start: i, end };
        if (!longest) {
          longest = hit;
          hits.push(hit);
          if (!name.weak) break;
        } else if (!name.weak) {
          // A weak long name (西单商场, a compound's name) must not hide a strong shorter one (西单) at the same place.
          hits.push(hit);
          break;
        }
      }
      i = longest ? longest.end : i + 1;
    }
    return hits;
  };

  const polygons = districtPolygons(shapes);
  const districtAt = (lat: number, lng: number): District | null => {
    for (const p of polygons) {
      if (lng < p.minLng || lng > p.maxLng || lat < p.minLat || lat > p.maxLat) continue;
      if (p.polygons.some((rings) => inPolygon(rings, lng, lat))) return districts.get(p.code) ?? null;
    }
    return null;
  };

  return { districts, streets, communities, size: names.size, lookup: (s) => names.get(s.toLowerCase()), find, districtAt };
}

// Short forms only: 县/市 after a district's or street's short name is another county or city; 镇/乡/村 after a
// street's is another town or a village (a Beijing village of that name would have matched as a longer name),
// except that a 地区 or 乡镇 unit is also called 镇/乡 (南口地区 = 南口镇).
function badNextOf(d: Draft, streets: ReadonlyMap<string, Street>): ReadonlySet<string> {
  if (d.kind !== 'short' || d.rank === RANK.community) return NO_CHARS;
  if (d.rank === RANK.district) return COUNTY_CITY;
  const town = d.targets.some((t) => t.street && streets.get(t.street)?.kind !== '街道');
  return town ? COUNTY_CITY_VILLAGE : COUNTY_CITY_TOWN_VILLAGE;
}

// A place name may run into a longer dictionary word that is still about the place (王府井大街, 西单商场).
const PLACE_CONTINUATION = /^(东|西|南|北|中)?(大街|路|街|桥|商场|大厦|广场|公园|小区|地区|站|里|园|门|胡同|巷|一带|附近|地铁)/;

const NO_CHARS: ReadonlySet<string> = new Set();
const COUNTY_CITY: ReadonlySet<string> = new Set(['县', '市']);
const COUNTY_CITY_VILLAGE: ReadonlySet<string> = new Set(['县', '市', '村']);
const COUNTY_CITY_TOWN_VILLAGE: ReadonlySet<string> = new Set(['县', '市', '村', '镇', '乡']);

type DistrictPolygons = { code: string; polygons: Position[][][]; minLng: number; maxLng: number; minLat: number; maxLat: number };

function districtPolygons(shapes: DistrictShapes): DistrictPolygons[] {
  return shapes.features.map((f) => {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    let minLng = Infinity;
    let maxLng = -Infinity;
    let minLat = Infinity;
    let maxLat = -Infinity;
    for (const rings of polygons) {
      for (const [lng, lat] of rings[0] ?? []) {
        minLng = Math.min(minLng, lng);
        maxLng = Math.max(maxLng, lng);
        minLat = Math.min(minLat, lat);
        maxLat = Math.max(maxLat, lat);
      }
    }
    return { code: f.properties.code, polygons, minLng, maxLng, minLat, maxLat };
  });
}

// Even-odd ray casting; rings after the first are holes.
function inPolygon(rings: Position[][], x: number, y: number): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i];
      const b = ring[j];
      if (!a || !b) continue;
      const [xi, yi] = a;
      const [xj, yj] = b;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

let shared: Gazetteer | undefined;

/**
 * The gazetteer of the reference divisions, built on first use (~100 ms) and kept for the process.
 * @example defaultGazetteer().lookup('望京')?.targets // → [{ level: 'street', district: '110105', street: '110105026', community: null }]
 */
export function defaultGazetteer(): Gazetteer {
  shared ??= buildGazetteer();
  return shared;
}
