/**
 * Place names in a request's text, for hot-issue mining: the administrative areas (A2区, 朝阳区, 望京街道) and the
 * specific places below them (roads, compounds, villages, schools: 联丰路, 丽发新城, 伊景园滨河苑, 涉外经济学院).
 *
 * Method: pseudonymised area codes of the teddy2020 data (A市, A2区, A7县) are cut out first, since jieba glues them
 * to the following name (A2区丽发 → 区丽发). The rest is tagged by the shared jieba; a run of name-like tokens
 * (nouns, place and person names, unknown words, numbers, 之) that ends in a place word (…路, …村, …苑, …新城,
 * …学院, or a token tagged `ns`) is a place. Every tail of the run that is still a name is kept too
 * (万科魅力之城 → 万科魅力之城, 魅力之城), so two texts naming the same place in longer and shorter forms share one.
 * A lone dictionary noun (搅拌站, 水泥路, 小区) and generic place words are not places.
 */
import { sharedJieba } from '../text/words.js';
import { normalizeText } from '../text/features.js';

export type TextPlaces = {
  /** Administrative areas: pseudonymised codes (A2区), and names ending in 省/市/区/县/镇/乡/街道. */
  areas: string[];
  /** Specific places below the areas, longest forms first within each run; no duplicates. */
  places: string[];
};

/** The teddy2020 pseudonyms of provinces, cities, districts and counties: A市, A2区, F9市, A7县, 西地省. */
const AREA_CODE = /[A-Za-z]\d{0,2}[省市区县]|西地省/g;

// Ends that make a run of name tokens a place. Longer ends first, so 小区 wins over 区.
const AREA_ENDS = ['街道', '省', '市', '区', '县', '镇', '乡'];
// Single characters that end too many ordinary words are left out: 府 (政府), 居 (乐居), 站 (网站), 里 (群里), 峰, 院 (法院).
const PLACE_ENDS = [
  '社区', '小区', '花园', '家园', '新城', '新村', '公寓', '大厦', '广场', '公园', '市场', '学院', '大学', '中学', '小学', '学校',
  '幼儿园', '医院', '大道', '大街', '胡同', '工业园', '产业园', '村', '路', '街', '巷', '桥', '苑', '园', '城', '湾', '湖', '岛',
  '坪', '塘', '滩',
];

const CLAUSE_BREAK = /[\s，。！？、；：,.!?;:（）()【】《》“”"'‘’…—-]+/;
const ANY_END = new RegExp([...PLACE_ENDS, ...AREA_ENDS].join('|'));

/** Place words that name a kind of place, not a place: never a place on their own. */
const GENERIC: ReadonlySet<string> = new Set(
  (
    '小区 社区 街道 道路 马路 公路 路段 路口 路面 学校 医院 公园 广场 市场 车站 工地 工厂 新城 新区 花园 家园 公寓 大厦 中心 ' +
    '村庄 农村 乡村 县城 城市 城区 市区 园区 片区 景区 校区 辖区 宿舍区 居民区 住宅区 商业区 开发区 全市 全省 全区 全县 本市 ' +
    '本区 该区 我区 我市 该市 本村 该村 我村 小学 中学 大学 学院 幼儿园 高速公路 人行道 十字路口 停车场 菜市场 农贸市场 ' +
    '小区内 老城区 主城区 城乡 政府 街道办 居委会 村委会 派出所 地铁站 公交站 火车站 高铁站 汽车站 加油站 垃圾站 搅拌站 ' +
    '门卫 一楼 二楼 楼道 楼下 楼上 单元 电梯 城管 物业 开发商 高楼 大楼 老楼 主楼 家里 院子 院内 医疗 校园 厂区 门口'
  ).split(' '),
);

/** Nouns that never belong to a place name: a place run starts after them (业主小区 is not a place). */
const NOT_NAME: ReadonlySet<string> = new Set(
  (
    '业主 居民 市民 村民 住户 群众 百姓 老百姓 学生 家长 老人 孩子 小孩 儿童 员工 职工 工人 老师 领导 书记 市长 网友 ' +
    '法人 股东 老板 经理 局长 副局长 主任 负责人 法定代表人 代表 ' +
    '问题 情况 噪音 污染 灰尘 油烟 垃圾 安全 隐患 附近 周边 周围 旁边 门口 对面 里面 外面 内部 一带 沿线 位置 地方 地段 ' +
    '我们 他们 大家 本人 今年 去年 明年 目前 现在 时间 期间 一直 一个 这个 那个 每天 晚上 白天 早上 凌晨 ' +
    '投诉 反映 举报 要求 建议 咨询 请求 申请 关于 有关 相关 部门 单位 公司 企业 项目 工程 建设 规划 改造 拆迁 ' +
    '交房 购房 买房 房子 房屋 车位 门面 商铺 店面 夜宵 烧烤 摊位 车辆 道路 路灯 红绿灯 下水道 管道 自来水 用水 用电 ' +
    '线路 铁路 高铁 地铁 公交 轨道 管线 电线 高压线 区内 室内 家中'
  ).split(' '),
);

// jieba tags that can be part of a name: nouns of all kinds, unknown words (x), abbreviations (j), Latin, numbers,
// place words (s: 海外 in 绿地海外滩).
const NAME_TAGS: ReadonlySet<string> = new Set(['n', 'nr', 'nrt', 'nrfg', 'ns', 'nt', 'nz', 'ng', 'j', 'x', 'eng', 'm', 'zg', 'vn', 's']);
// Tags of ordinary dictionary words: a run made of one of these alone (搅拌站, 水泥路) is a kind of place.
// Tags of a one-character word that may start a place name.
const SHORT_NAME_TAGS: ReadonlySet<string> = new Set(['ns', 'nr', 'nz', 'x', 'j', 'eng']);
const COMMON_TAGS: ReadonlySet<string> = new Set(['n', 'vn', 'l', 'ng']);
const HAN_OR_ALNUM = /^[\p{Script=Han}A-Za-z0-9]+$/u;

const MAX_RUN_TOKENS = 5;
const MAX_PLACE_CHARS = 12;
const MIN_PLACE_CHARS = 3;

function endsWithAny(word: string, ends: readonly string[]): boolean {
  return ends.some((e) => word.endsWith(e));
}

type Token = { word: string; tag: string };

function isNameToken(t: Token): boolean {
  if (t.word === '之') return true;
  if (!HAN_OR_ALNUM.test(t.word) || NOT_NAME.has(t.word)) return false;
  // Bare numbers (三期, 24) may sit inside a name, but a run must not start with one.
  return NAME_TAGS.has(t.tag);
}

// 三区, 东区, 2区 are parts of a residential compound (望京西园三区), not districts.
const COMPOUND_PART = /^[一二三四五六七八九十东南西北中新老\d]+区$/;

function isAreaEnd(word: string): boolean {
  if (word.endsWith('小区') || word.endsWith('社区') || COMPOUND_PART.test(word)) return false;
  return endsWithAny(word, AREA_ENDS);
}

// jieba's place tag (ns) alone is not enough: it also marks person names (苏纳) and foreign places (美国).
function isPlaceEnd(t: Token): boolean {
  return endsWithAny(t.word, PLACE_ENDS) || endsWithAny(t.word, AREA_ENDS);
}

/** A run's tail `toks` is a usable place name: long enough, not generic, not one ordinary dictionary word. */
function acceptable(toks: readonly Token[], name: string): boolean {
  if (name.length < MIN_PLACE_CHARS || name.length > MAX_PLACE_CHARS || GENERIC.has(name)) return false;
  const first = toks[0];
  if (!first || first.word === '之' || first.tag === 'm' || /^\d/.test(first.word)) return false;
  if (toks.length === 1 && COMMON_TAGS.has(first.tag)) return false;
  // A name of generic words only (宿舍区门口) says nothing about where.
  return !toks.every((t) => GENERIC.has(t.word) || t.word === '之');
}

/** Remove a generic trailing word so that 魅力之城小区 and 魅力之城 are one place. */
function canonical(name: string): string {
  for (const tail of ['小区', '社区', '片区', '项目']) {
    if (name.endsWith(tail) && name.length - tail.length >= MIN_PLACE_CHARS) return name.slice(0, -tail.length);
  }
  return name;
}

/**
 * Cut the teddy2020 area codes out of a text (each becomes a space) and return them.
 *
 * @example
 * splitAreaCodes('投诉A2区丽发新城附近') // → { text: '投诉 丽发新城附近', codes: ['A2区'] }
 */
export function splitAreaCodes(text: string): { text: string; codes: string[] } {
  const codes: string[] = [];
  const rest = text.replace(AREA_CODE, (m) => {
    codes.push(m.toUpperCase());
    return ' ';
  });
  return { text: rest, codes };
}

/**
 * The areas and specific places a text names.
 *
 * @example
 * extractPlaces('投诉A2区丽发新城附近建搅拌站噪音扰民')
 * // → { areas: ['A2区'], places: ['丽发新城'] }
 * extractPlaces('A市万科魅力之城商铺无排烟管道')
 * // → { areas: ['A市'], places: ['万科魅力之城', '魅力之城'] }
 */
export function extractPlaces(raw: string): TextPlaces {
  const { text: normalized } = normalizeText(raw, 20_000);
  const { text, codes } = splitAreaCodes(normalized);
  const areas = new Set<string>(codes);
  const places = new Set<string>();
  // Tag only the clauses that hold a place word's last character: a run never crosses punctuation or a space, and
  // jieba's tagger costs several times its plain cut.
  const tokens: Token[] = [];
  for (const clause of text.split(CLAUSE_BREAK)) {
    if (!ANY_END.test(clause)) continue;
    tokens.push(...sharedJieba().tag(clause, true), { word: ' ', tag: 'x' });
  }
  let run: Token[] = [];
  const flush = (): void => {
    run = [];
  };
  for (const t of tokens) {
    if (!isNameToken(t)) {
      flush();
      continue;
    }
    run.push(t);
    if (run.length > MAX_RUN_TOKENS) run = run.slice(run.length - MAX_RUN_TOKENS);
    if (!isPlaceEnd(t)) continue;
    const isArea = isAreaEnd(t.word);
    // Every tail of the run that is still a name: 武广新城伊景园 → 武广新城伊景园, 伊景园. A name starts at a word
    // of two or more characters or a one-character name (伊/ns), not at a common character (城 of 魅力之城小区).
    for (let i = 0; i < run.length; i++) {
      const toks = run.slice(i);
      const head = toks[0];
      if (!head || (head.word.length < 2 && !SHORT_NAME_TAGS.has(head.tag))) continue;
      const name = toks.map((x) => x.word).join('');
      if (!acceptable(toks, name)) continue;
      if (isArea) areas.add(name);
      else places.add(canonical(name));
      // An area is named once, by its shortest good form (桂花坪街道, not 某某路桂花坪街道).
      if (isArea) break;
    }
    // An area closes the run; a place may be joined to the next one (伊景园 + 滨河苑 → 伊景园滨河苑).
    if (isArea) flush();
    else if (run.length > 3) run = run.slice(run.length - 3);
  }
  return { areas: [...areas], places: [...places] };
}
