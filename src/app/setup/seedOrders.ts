/**
 * Demo data at scale (`npx jiesu seed`, issue 6): N work orders over the last M months across Beijing's 343
 * streets/townships, written straight to the store in bulk so every chart, ranking and queue has something true to
 * its shape. Nothing is invented past the rules: each step of each order is decided by the domain
 * (`decideTransition`), each clock is moved by the deadline engine, and the deadline sweep is replayed between
 * steps for warnings and lateness; only the writing is batched (multi-row INSERTs, one transaction per batch).
 * Deterministic: the same seed, `now` and starting database give the same orders. The model (populations, shares,
 * seasons, unit quality) and measured rates are in docs/seed.md.
 */
import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import {
  clockStatus,
  extendClock,
  fromShanghai,
  pauseClock,
  policyForUrgency,
  resumeClock,
  shanghaiDate,
  startPolicyClocks,
  stopClock,
  toShanghai,
  addDays,
  type Clock,
  type ClockKind,
  type DeadlinePolicy,
  type Urgency,
  type WorkCalendar,
} from '../../domain/deadline/index.js';
import {
  applyDecision,
  decideTransition,
  isFinal,
  type Decision,
  type OrderAction,
  type OrderSnapshot,
  type OrderState,
  type Resolution,
  type Satisfaction,
} from '../../domain/order/index.js';
import type { ActorRef } from '../../domain/roles.js';
import { route, type Route } from '../../intelligence/route/route.js';
import { queryRows, type Db, type Tx } from '../../store/db.js';
import { hotlineCentre, type Handling } from '../../store/reference/index.js';
import { categories, knowledge, orderClocks, orderEvents, orderUnits, orders, requests, trainingExamples, units, users } from '../../store/schema/index.js';
import type { Proposal } from '../dispatch/proposal.js';
import { formatNo } from '../numbering.js';
import { clockValues, nextCheckOf } from '../orders/clocks.js';
import { CITY_PATH, extensionToRow } from '../orders/orderRecord.js';
import { stepColumns, systemActor } from '../orders/transitionOrder.js';
import { getDeadlinePolicies } from '../policies/deadlinePolicies.js';
import { getWorkCalendar } from '../policies/workCalendar.js';
import type { Channel, RequestType } from '../requests/acceptRequest.js';

// ── Facts ──────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Resident population of each district at the seventh national census (1 Nov 2020), from 北京市第七次全国人口普查
 * 公报（第二号）; they sum to the city's 21,893,095. Orders are spread over districts in these proportions.
 */
export const DISTRICT_POPULATION_2020: Readonly<Record<string, number>> = {
  '110101': 708_829, // 东城区
  '110102': 1_106_214, // 西城区
  '110105': 3_452_460, // 朝阳区
  '110106': 2_019_764, // 丰台区
  '110107': 567_851, // 石景山区
  '110108': 3_133_469, // 海淀区
  '110109': 392_606, // 门头沟区
  '110111': 1_312_778, // 房山区
  '110112': 1_840_295, // 通州区
  '110113': 1_324_044, // 顺义区
  '110114': 2_269_487, // 昌平区
  '110115': 1_993_591, // 大兴区
  '110116': 441_040, // 怀柔区
  '110117': 457_313, // 平谷区
  '110118': 527_683, // 密云区
  '110119': 345_671, // 延庆区
};

// ── Random numbers: small, fast, seeded ────────────────────────────────────────────────────────────────────

/** cyrb128: four 32-bit words from a string, to seed sfc32. */
function hash128(key: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < key.length; i++) {
    const k = key.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

/** A seeded generator (sfc32). One stream per purpose and per order, so batching never changes an order. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(key: string) {
    [this.a, this.b, this.c, this.d] = hash128(key);
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    const t = (this.a + this.b + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Whole number in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    const x = xs[this.int(xs.length)];
    if (x === undefined) throw new Error('pick from an empty list');
    return x;
  }

  /** One key of a weight table, in proportion to its weight. */
  weighted<K extends string>(table: Partial<Record<K, number>>): K {
    const entries = Object.entries(table) as [K, number][];
    let r = this.next() * entries.reduce((s, [, w]) => s + w, 0);
    for (const [k, w] of entries) {
      r -= w;
      if (r < 0) return k;
    }
    const last = entries[entries.length - 1];
    if (!last) throw new Error('weighted pick from an empty table');
    return last[0];
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Log-normal around a median: most values near it, a long tail of slow ones. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** A version-4 UUID from this stream. */
  uuid(): string {
    const h: string[] = [];
    for (let i = 0; i < 4; i++) h.push(Math.floor(this.next() * 4294967296).toString(16).padStart(8, '0'));
    const s = h.join('');
    const variant = ((parseInt(s[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${variant}${s.slice(17, 20)}-${s.slice(20, 32)}`;
  }
}

/** Weighted choice among fixed items: cumulative weights built once, a binary search per pick. */
class Picker<T> {
  private readonly cum: number[] = [];
  private readonly total: number;

  constructor(
    readonly items: readonly T[],
    weight: (item: T) => number,
  ) {
    let sum = 0;
    for (const item of items) this.cum.push((sum += Math.max(0, weight(item))));
    this.total = sum;
    if (items.length === 0 || sum <= 0) throw new Error('a weighted choice needs an item with weight');
  }

  pick(rng: Rng): T {
    const r = rng.next() * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cum[mid] ?? 0) > r) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}

// ── Topics: what people call about, how often, when, and in what words ────────────────────────────────────

/** Multipliers for January … December (1 = an ordinary month). */
type Season = readonly [number, number, number, number, number, number, number, number, number, number, number, number];
type HourProfile = 'day' | 'office' | 'night' | 'evening' | 'any';

const HEAT: Season = [1.6, 1.1, 0.6, 0.03, 0.01, 0.01, 0.01, 0.01, 0.02, 0.25, 3.0, 2.0];
const HEAT_POLICY: Season = [0.6, 0.4, 0.7, 0.3, 0.1, 0.1, 0.1, 0.1, 0.4, 2.0, 2.2, 0.9];
const FLOOD: Season = [0.02, 0.02, 0.05, 0.1, 0.3, 1.0, 4.0, 3.2, 0.6, 0.1, 0.03, 0.02];
const RAIN: Season = [0.4, 0.4, 0.5, 0.7, 0.9, 1.3, 2.2, 2.0, 1.1, 0.7, 0.5, 0.4];
const SUMMER: Season = [0.6, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.5, 1.2, 1.0, 0.7, 0.6];
const WINTER: Season = [1.5, 1.3, 1.0, 0.8, 0.7, 0.7, 0.7, 0.7, 0.8, 1.0, 1.3, 1.5];
const SNOW: Season = [2.0, 1.6, 0.8, 0.2, 0.05, 0.05, 0.05, 0.05, 0.1, 0.5, 1.8, 2.2];
const BUILD: Season = [0.5, 0.4, 1.0, 1.2, 1.3, 1.3, 1.2, 1.2, 1.2, 1.1, 1.0, 0.8];
const GREEN: Season = [0.3, 0.3, 0.7, 1.8, 2.0, 1.5, 1.3, 1.1, 0.9, 0.8, 0.6, 0.3];
const WAGES: Season = [2.0, 1.2, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 1.2, 2.2];
const ENROL: Season = [0.4, 0.4, 0.8, 1.6, 2.4, 2.0, 1.4, 1.6, 1.2, 0.5, 0.4, 0.4];
const SCHOOL: Season = [0.8, 0.4, 1.2, 1.2, 1.2, 1.1, 0.3, 0.4, 1.5, 1.2, 1.2, 1.0];
const TRAVEL: Season = [0.7, 0.9, 0.6, 0.9, 1.5, 0.9, 1.4, 1.5, 1.0, 1.8, 0.7, 0.6];
const QINGMING: Season = [0.8, 0.9, 2.0, 2.4, 0.8, 0.7, 0.7, 0.7, 0.7, 0.8, 0.8, 0.8];
const HOT: Season = [0.02, 0.02, 0.02, 0.1, 0.6, 2.5, 3.5, 3.0, 0.5, 0.05, 0.02, 0.02];
const FLU: Season = [1.4, 1.2, 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0, 1.1, 1.3];
const PESTS: Season = [0.3, 0.3, 0.4, 0.7, 1.2, 1.8, 2.2, 2.0, 1.4, 0.7, 0.4, 0.3];
const DUST: Season = [0.8, 0.9, 1.4, 1.5, 1.1, 0.9, 0.8, 0.8, 1.0, 1.3, 1.2, 0.9];

/** Share of calls in each hour of the day (Shanghai time), by the kind of matter. */
const HOURS: Record<HourProfile, readonly number[]> = {
  day: [0.15, 0.1, 0.07, 0.06, 0.07, 0.15, 0.4, 0.9, 1.5, 1.8, 1.8, 1.6, 1.1, 1.3, 1.6, 1.6, 1.5, 1.3, 1.0, 0.9, 0.8, 0.6, 0.4, 0.25],
  office: [0.03, 0.02, 0.01, 0.01, 0.01, 0.03, 0.1, 0.5, 1.6, 2.2, 2.2, 1.8, 1.0, 1.5, 2.0, 2.0, 1.8, 1.2, 0.6, 0.4, 0.3, 0.2, 0.1, 0.05],
  night: [1.3, 1.0, 0.6, 0.35, 0.25, 0.3, 0.6, 0.8, 0.7, 0.6, 0.6, 0.6, 0.7, 0.7, 0.7, 0.7, 0.7, 0.8, 1.0, 1.4, 1.9, 2.4, 2.6, 2.0],
  evening: [0.3, 0.2, 0.1, 0.08, 0.1, 0.2, 0.6, 1.3, 1.5, 1.4, 1.2, 1.1, 1.1, 1.0, 1.0, 1.0, 1.1, 1.4, 1.8, 2.0, 1.9, 1.5, 1.0, 0.5],
  any: [0.6, 0.5, 0.4, 0.35, 0.35, 0.45, 0.7, 1.0, 1.2, 1.3, 1.3, 1.2, 1.1, 1.1, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.1, 1.0, 0.9, 0.7],
};
const hourPickers = Object.fromEntries(Object.entries(HOURS).map(([k, v]) => [k, new Picker([...v.keys()], (h) => v[h] ?? 0)])) as Record<HourProfile, Picker<number>>;
/** Calls on rest days (weekends, statutory holidays) relative to working days. */
const REST_DAY: Record<HourProfile, number> = { day: 0.85, office: 0.45, night: 1.1, evening: 1.0, any: 1.0 };

/** One way a matter is told: its title, the caller's words, and what the unit did when it was solved. */
type Case = readonly [title: string, body: string, fix: string];

/**
 * One kind of call: a catalogue category with its relative frequency, season, hours, request types and words.
 * Placeholders: {district} {street} {cn} (community or village) {b} (building) {u} (entrance) {n} {temp}
 * {days} {months} {money} {shop} {line} {metro} {name}.
 */
type Topic = {
  cat: string;
  weight: number;
  season?: Season;
  hours?: HourProfile;
  types: Partial<Record<RequestType, number>>;
  /** Where it happens: a place in a community (most), only villages (rural), only urban communities, or nowhere in particular. */
  place?: 'community' | 'rural' | 'urban' | 'none';
  cases: readonly Case[];
  /** Why it could not be (fully) solved, for replies that did not. */
  limits?: readonly string[];
};

const topics: readonly Topic[] = [
  // 公用事业
  { cat: 'GY.04.01', weight: 55, season: HEAT, hours: 'evening', types: { help: 6, complaint: 4 }, cases: [
    ['暖气不热', '{cn}{b}{u}家里暖气不热，室温只有{temp}度，家里有老人和孩子，请尽快处理。', '热力公司维修人员已入户检查，对暖气片排气并调节管网平衡，室温恢复到18℃以上'],
    ['暖气片上热下凉', '{cn}{b}暖气片上面热下面凉，屋里温度{temp}度左右，已经好几天了。', '经检查系暖气片内积气积垢，已排气冲洗，室温达标'],
    ['整个单元暖气不热', '{cn}{b}整个单元暖气都不热，给物业打电话没人管。', '经排查系楼内立管阀门故障，已更换阀门，供热恢复正常'],
  ], limits: ['该楼供热管线老化严重，需整体改造，已纳入明年供暖季前的改造计划'] },
  { cat: 'GY.04.02', weight: 35, season: HEAT_POLICY, hours: 'office', place: 'none', types: { consultation: 9, suggestion: 1 }, cases: [
    ['咨询今年供暖时间', '想问一下今年什么时候开始供暖，天气已经很冷了。', '本市供暖期为每年11月15日至次年3月15日，遇极端天气可提前或延长，以市政府通知为准'],
    ['采暖费怎么缴纳', '咨询采暖费的缴费标准和缴费方式。', '居民采暖费按建筑面积计收，可通过供热单位营业厅、银行或线上渠道缴纳'],
    ['咨询采暖报停', '房子长期没人住，想问问能不能办理采暖报停。', '采暖报停须在供暖季开始前向供热单位申请，经现场核实后办理'],
  ] },
  { cat: 'GY.04.03', weight: 6, season: HEAT, hours: 'evening', place: 'rural', types: { help: 6, complaint: 4 }, cases: [
    ['空气源热泵不制热', '{cn}煤改电的空气源热泵不制热，屋里只有{temp}度，联系厂家一直没人来修。', '已协调设备厂家上门维修，更换故障部件，设备恢复正常运行'],
    ['清洁取暖补贴未到位', '{cn}家里用电取暖，今年的取暖电费补贴还没有到位。', '镇政府已核对补贴名单，补贴资金已发放到户'],
  ] },
  { cat: 'GY.05.01', weight: 16, season: FLOOD, hours: 'any', types: { help: 8, complaint: 2 }, cases: [
    ['下凹桥积水严重', '{street}{cn}附近的下凹桥积水很深，车辆无法通行，请尽快排水。', '排水集团已出动抢险车辆和泵车现场排水，积水已排除，道路恢复通行'],
    ['路面积水无法通行', '暴雨后{cn}门口路面积水没过脚踝，行人无法通过。', '已疏通雨水箅子和排水管道，积水已退去'],
  ] },
  { cat: 'GY.05.02', weight: 14, season: RAIN, hours: 'any', types: { help: 7, complaint: 3 }, cases: [
    ['污水井冒溢', '{cn}{b}楼下污水井往外冒污水，臭味很大。', '已安排疏通车对管道进行疏通清掏，排水恢复正常，并对路面冲洗消毒'],
    ['下水道堵塞返水', '{cn}下水道堵了，一楼住户家里返水。', '已对堵塞的排水管道进行疏通，一楼返水问题已解决'],
  ] },
  { cat: 'GA.05', weight: 4, season: FLOOD, hours: 'any', types: { help: 10 }, cases: [
    ['暴雨后院落进水', '{cn}暴雨后低洼院落进水，请求帮助排水。', '街道应急小分队已到场抽排积水，并对周边低洼院落进行了排查'],
    ['大风刮倒树木', '{cn}附近大风刮倒一棵大树，压住了路边车辆和电线。', '街道会同园林和供电部门清理了倒伏树木，排除了险情'],
  ] },
  { cat: 'GY.01.01', weight: 20, season: SUMMER, hours: 'any', types: { help: 7, consultation: 3 }, cases: [
    ['小区突然停水', '{cn}{b}从早上开始停水，没有任何通知，到现在还没来水。', '系市政管线抢修临时停水，已恢复供水，并督促物业今后提前张贴停水通知'],
    ['高层水压太低', '{cn}高层住户水压很低，做饭洗澡都困难。', '已调整二次供水加压设备，水压恢复正常'],
  ] },
  { cat: 'GY.01.02', weight: 9, season: WINTER, hours: 'any', types: { help: 9, report: 1 }, cases: [
    ['自来水管道破裂', '{cn}门口自来水管道破裂，路面积水结冰。', '自来水集团已抢修破损管道，恢复正常供水并清理了现场'],
    ['路边地面冒水', '{cn}{b}旁边地面一直往外冒水，好几天了没人管。', '经查为地下供水管线渗漏，已开挖维修完毕'],
  ] },
  { cat: 'GY.01.03', weight: 4, hours: 'day', types: { complaint: 6, help: 4 }, cases: [
    ['自来水发黄', '{cn}{b}的自来水发黄浑浊，不敢饮用。', '已对管网进行冲洗并取样检测，水质符合国家标准'],
    ['自来水有异味', '{cn}家里自来水有一股消毒水味，放一会也不散。', '已对二次供水水箱进行清洗消毒，取样检测合格'],
  ] },
  { cat: 'GY.02.01', weight: 16, season: SUMMER, hours: 'any', types: { help: 7, consultation: 3 }, cases: [
    ['小区突然停电', '{cn}{b}突然停电，家里有老人用制氧机，请尽快抢修。', '国网北京电力已抢修故障线路，恢复供电'],
    ['频繁停电', '{cn}这个月已经停了好几次电了，冰箱里的东西都坏了。', '经查为小区配电箱过载跳闸，已更换设备并增容'],
  ] },
  { cat: 'GY.02.02', weight: 4, hours: 'any', types: { help: 7, report: 3 }, cases: [
    ['电线杆倾斜', '{cn}路边一根电线杆严重倾斜，随时可能倒下。', '供电公司已到场扶正电杆并加固，消除了隐患'],
    ['电线垂落路边', '{cn}{b}附近有电线垂落到地面，行人很危险。', '供电公司已到场处置，重新架设线路'],
  ] },
  { cat: 'GY.03.01', weight: 3, season: WINTER, hours: 'any', types: { help: 10 }, cases: [
    ['楼道有燃气味', '{cn}{b}{u}楼道里有很大的煤气味，请赶紧派人来看看。', '燃气集团抢修人员已到场检测，更换了泄漏的管道接头，隐患已消除'],
    ['怀疑燃气泄漏', '{cn}闻到臭鸡蛋味，怀疑附近燃气管道泄漏。', '燃气集团已到场检测，系庭院管线阀门渗漏，已维修完毕'],
  ] },
  { cat: 'GY.03.02', weight: 7, season: WINTER, hours: 'day', types: { help: 6, complaint: 4 }, cases: [
    ['燃气卡充值后不能用', '{cn}{b}燃气卡充值以后插表没反应，家里做不了饭。', '燃气公司已上门检查，更换了燃气表电池并恢复供气'],
    ['家里突然没有燃气', '{cn}家里燃气灶点不着火，其他邻居也没气。', '经查为调压箱故障，已抢修完毕，恢复供气'],
  ] },
  { cat: 'GY.06.04', weight: 9, hours: 'day', types: { complaint: 8, help: 2 }, cases: [
    ['手机信号差', '{cn}{b}室内手机基本没有信号，打电话经常断。', '已协调运营商进行信号测试并优化基站参数，室内信号明显改善'],
    ['宽带装不上', '在{cn}申请安装宽带一个多月了还没装上。', '已协调运营商完成线路施工，宽带已开通'],
  ] },
  // 城乡建设
  { cat: 'CX.02.01', weight: 40, hours: 'day', place: 'urban', types: { complaint: 8, help: 2 }, cases: [
    ['小区保洁不到位', '{cn}物业服务很差，楼道好几天没人打扫，垃圾堆在门口。', '街道已约谈物业公司，督促增加保洁频次，楼道卫生已整改'],
    ['物业不作为', '{cn}物业收了物业费却什么都不管，单元门坏了一个月没人修。', '已督促物业维修单元门，并组织物业、社区和业主代表召开协调会，物业承诺按合同提供服务'],
    ['物业乱收费', '{cn}物业擅自提高停车费和物业费，没有经过业主同意。', '经核实物业调价未履行法定程序，已责令恢复原收费标准'],
  ], limits: ['物业服务标准属合同约定事项，已指导业主通过业主大会依法协商解决'] },
  { cat: 'CX.02.02', weight: 16, hours: 'day', place: 'urban', types: { help: 5, complaint: 5 }, cases: [
    ['电梯经常故障', '{cn}{b}电梯三天两头出故障，老人上下楼非常困难。', '已督促物业联系维保单位更换电梯故障部件，电梯恢复运行，并由市场监管部门进行了安全检查'],
    ['电梯停运多日', '{cn}{b}{u}电梯停运一个多星期了，物业说在等配件。', '已协调维保单位加急调配配件，电梯已修复运行'],
  ], limits: ['电梯已超过使用年限需整体更换，已指导业主申请使用专项维修资金，正在履行表决程序'] },
  { cat: 'CX.02.03', weight: 4, hours: 'office', place: 'urban', types: { consultation: 4, complaint: 4, suggestion: 2 }, cases: [
    ['咨询成立业委会', '{cn}想成立业主委员会，不知道怎么办理。', '成立业委会须由业主向街道提出筹备申请，街道指导成立筹备组后召开业主大会选举产生'],
    ['公共收益不公开', '{cn}公共收益从来没有公开过，请求街道督促公开。', '街道已督促物业在小区公示栏公开了公共收益账目'],
  ] },
  { cat: 'CX.03', weight: 16, hours: 'evening', place: 'urban', types: { complaint: 9, suggestion: 1 }, cases: [
    ['小区停车难', '{cn}车位严重不足，晚上回来根本没地方停车。', '已协调物业挖潜施划停车位，并与周边单位签订错时共享停车协议'],
    ['私装地锁占用车位', '{cn}有人私自安装地锁占用公共车位。', '已协调物业清理私装地锁，恢复公共车位'],
    ['外来车辆占用小区车位', '{cn}大量外来车辆进入小区停车，物业不管。', '已督促物业加强道闸管理，规范外来车辆进出'],
  ] },
  { cat: 'CX.04.01', weight: 12, season: RAIN, hours: 'day', place: 'urban', types: { help: 8, complaint: 2 }, cases: [
    ['顶层房屋漏雨', '{cn}{b}顶层一下雨就漏，天花板往下滴水，墙皮都掉了。', '已协调物业对屋面防水进行维修，经雨后回访不再渗漏'],
    ['外墙渗水发霉', '{cn}{b}外墙渗水，屋里墙面大面积发霉。', '已对外墙裂缝进行封堵并做防水处理'],
  ], limits: ['屋面防水需整体翻修，已申请专项维修资金，待业主表决通过后施工'] },
  { cat: 'CX.04.02', weight: 12, hours: 'day', place: 'urban', types: { help: 8, complaint: 2 }, cases: [
    ['楼道灯不亮', '{cn}{b}{u}楼道灯坏了很久，晚上上下楼很危险。', '已督促物业更换楼道灯具，照明恢复'],
    ['单元门门禁损坏', '{cn}{b}单元门门禁坏了，谁都能进来。', '已督促物业维修单元门禁，恢复正常使用'],
  ] },
  { cat: 'CX.04.03', weight: 9, hours: 'office', place: 'urban', types: { suggestion: 4, consultation: 3, complaint: 3 }, cases: [
    ['建议老楼加装电梯', '{cn}都是六层老楼，住着很多老人，希望加装电梯。', '已将该小区纳入老旧小区综合整治计划，加装电梯已完成居民意见征询'],
    ['老旧小区改造进度慢', '{cn}老旧小区改造已经开工{months}个月了，进度很慢，路面都挖开了。', '已督促施工单位增加人员、倒排工期，并恢复了小区主路通行'],
  ], limits: ['加装电梯需单元业主协商一致，目前一层住户仍有异议，社区将继续协调'] },
  { cat: 'CX.05.01', weight: 12, season: WINTER, hours: 'evening', types: { help: 9, complaint: 1 }, cases: [
    ['路灯不亮', '{cn}门口一排路灯都不亮，晚上黑乎乎的很不安全。', '已更换故障灯具和老化线路，路灯恢复照明'],
    ['路灯坏了一个多星期', '{street}{cn}附近路灯坏了一个多星期了。', '经排查为供电线路故障，已修复，路灯恢复照明'],
  ] },
  { cat: 'CX.05.02', weight: 12, season: DUST, hours: 'day', types: { help: 6, complaint: 4 }, cases: [
    ['路面坑洼不平', '{cn}门口路面有好几个大坑，下雨积水，电动车容易摔倒。', '已对破损路面进行修补，路面恢复平整'],
    ['人行道砖破损', '{cn}附近人行道砖松动破损，老人走路容易绊倒。', '已对松动破损的人行道砖进行了重新铺装'],
  ] },
  { cat: 'CX.05.03', weight: 4, hours: 'any', types: { help: 8, report: 2 }, cases: [
    ['井盖丢失', '{cn}门口路上井盖丢了，很危险，已经有人差点掉下去。', '已在现场设置警示并补装新井盖，隐患已消除'],
    ['井盖破损下沉', '{cn}{b}旁边井盖破碎下沉。', '已更换破损井盖并调平井圈'],
  ] },
  { cat: 'CX.06.01', weight: 24, season: SUMMER, hours: 'day', types: { complaint: 8, help: 2 }, cases: [
    ['垃圾清运不及时', '{cn}垃圾桶满了好几天没人清运，臭味很大，招苍蝇。', '已督促保洁公司清运积存垃圾，并增加清运频次'],
    ['装修垃圾乱堆放', '{cn}{b}楼下堆了很多装修垃圾，一直没人清理。', '已联系物业清运装修垃圾，并设置临时装修垃圾堆放点'],
  ] },
  { cat: 'CX.06.02', weight: 7, season: SNOW, hours: 'day', types: { complaint: 6, help: 4 }, cases: [
    ['道路积雪结冰未清扫', '{cn}门口路面积雪结冰，已经有老人滑倒了。', '已组织环卫人员清扫积雪并撒布融雪剂，路面恢复通行'],
    ['落叶堆积无人清扫', '{street}{cn}附近路面落叶堆积，好几天没有清扫。', '已安排环卫人员清扫落叶，并加密保洁频次'],
  ] },
  { cat: 'CX.06.03', weight: 4, season: SUMMER, hours: 'day', types: { complaint: 7, suggestion: 3 }, cases: [
    ['公厕卫生差', '{cn}附近公厕很脏，异味很大，没人打扫。', '已督促公厕管理单位加强保洁和除臭'],
    ['公共厕所长期锁门', '{cn}附近唯一的公厕长期锁门。', '已督促公厕管理单位恢复正常开放时间'],
  ] },
  { cat: 'CX.07', weight: 14, season: SUMMER, hours: 'evening', types: { complaint: 7, report: 3 }, cases: [
    ['占道经营', '{cn}门口每天晚上都有很多摊贩占道经营，堵塞交通。', '已会同城管执法部门进行清理整治，占道经营现象已消除，并纳入日常巡查'],
    ['商户出店经营', '{cn}附近{shop}长期把桌椅摆到人行道上。', '城管执法部门已责令商户将桌椅收回店内，并依法作出处罚'],
  ] },
  { cat: 'CX.08', weight: 12, season: GREEN, hours: 'day', types: { help: 6, complaint: 2, suggestion: 2 }, cases: [
    ['树木遮挡阳光需要修剪', '{cn}{b}前面的树太高了，挡住低层住户的阳光。', '已协调园林部门对树木进行修剪'],
    ['枯树有倒伏危险', '{cn}里有棵枯树，刮风时很危险。', '已协调园林部门移除枯树，并补植了新树'],
    ['杨柳絮太多', '{cn}附近杨柳絮漫天飞，过敏很严重。', '已对雌株杨柳树注射抑制剂并加强湿化作业'],
  ] },
  { cat: 'CX.01', weight: 12, hours: 'day', types: { report: 7, complaint: 3 }, cases: [
    ['楼顶私搭乱建', '{cn}{b}顶层住户在楼顶私自加盖房屋。', '经核查属违法建设，已依法下达限期拆除通知，违建已拆除'],
    ['私自圈占绿地', '{cn}一楼住户私自扩建小院，圈占公共绿地。', '已责令当事人拆除围挡，恢复公共绿地'],
  ], limits: ['该建筑已立案调查，当事人申请行政复议，待复议结果后依法处置'] },
  { cat: 'CX.09', weight: 7, season: BUILD, hours: 'day', types: { complaint: 8, report: 2 }, cases: [
    ['工地扬尘大', '{cn}附近工地没有覆盖防尘网，刮风时尘土飞扬。', '已责令施工单位落实覆盖、洒水等降尘措施'],
    ['工地围挡倒塌', '{cn}旁边工地围挡倒了，行人经过很危险。', '已责令施工单位修复围挡并设置警示标志'],
  ] },
  { cat: 'CX.10', weight: 4, hours: 'office', types: { complaint: 6, consultation: 4 }, cases: [
    ['拆迁补偿款未到位', '{cn}拆迁后补偿款一直没有发放到位。', '已协调实施单位核算补偿款并发放到位'],
    ['回迁房迟迟不交付', '{cn}回迁房已经延期{months}个月，周转费也停了。', '已督促实施单位补发周转费，并公布了回迁房交付时间表'],
  ], limits: ['回迁房建设涉及规划调整，已督促实施单位按月发放周转费并公示进度'] },
  { cat: 'CX.13', weight: 7, hours: 'office', types: { complaint: 5, consultation: 5 }, cases: [
    ['房产证办不下来', '在{cn}买房{n}年了，房产证一直办不下来。', '已协调开发企业补齐办证材料，首批业主已领取不动产权证书'],
    ['咨询二手房过户登记', '想咨询一下二手房过户办理不动产登记需要哪些材料。', '二手房转移登记需买卖双方身份证明、不动产权证书和网签合同，可在不动产登记中心一窗办理'],
  ], limits: ['项目存在历史遗留的土地手续问题，已纳入“每月一题”专项推进'] },
  { cat: 'CX.14', weight: 9, hours: 'day', types: { complaint: 7, consultation: 3 }, cases: [
    ['房东不退押金', '租住{cn}的房子到期退租，房东以各种理由不退押金{money}元。', '已约谈房东和中介，押金已退还'],
    ['群租房扰民', '{cn}{b}有人群租，一套房住了十几个人，很不安全。', '已会同派出所对群租房进行清理整治'],
  ] },
  { cat: 'CX.12', weight: 5, hours: 'office', types: { complaint: 9, consultation: 1 }, cases: [
    ['开发商延期交房', '{cn}项目合同约定去年交房，到现在还没交。', '已约谈开发企业，督促其制定交房计划，并按合同支付逾期违约金'],
    ['新房墙体开裂', '刚收房的{cn}新房墙体开裂，开发商不给维修。', '已督促开发企业在保修期内完成维修'],
  ] },
  // 环境保护
  { cat: 'HB.01.01', weight: 18, season: BUILD, hours: 'night', types: { complaint: 10 }, cases: [
    ['夜间施工噪音扰民', '{cn}附近工地夜里施工，噪音特别大，根本睡不着。', '经查施工单位无夜间施工许可，已依法立案处罚并责令停止夜间施工'],
    ['工地凌晨打桩', '{street}{cn}旁边工地凌晨两点还在打桩。', '已责令施工单位停止夜间高噪声作业，并安排夜间巡查'],
  ] },
  { cat: 'HB.01.02', weight: 18, season: SUMMER, hours: 'night', types: { complaint: 10 }, cases: [
    ['广场舞音响扰民', '{cn}广场舞音响声音太大，每天晚上跳到十点多。', '社区已与广场舞队协商，限定活动时间并降低音量'],
    ['商户噪音扰民', '{cn}楼下{shop}营业到深夜，噪音扰民。', '已约谈商户，督促其控制营业时间和音量'],
    ['空调外机噪音大', '{cn}{b}旁边商户的空调外机噪音很大，晚上睡不着。', '已督促商户调整外机位置并加装隔音设施'],
  ] },
  { cat: 'HB.01.03', weight: 4, hours: 'night', types: { complaint: 6, suggestion: 4 }, cases: [
    ['快速路交通噪音大', '{cn}紧邻快速路，夜间大货车噪音很大。', '交管部门已在该路段加强夜间货车限速管控'],
    ['建议加装隔音屏', '建议在{cn}临路一侧加装隔音屏。', '已将该路段纳入隔音屏建设计划并完成设计'],
  ], limits: ['该路段隔音屏建设需纳入年度计划，已上报交通部门统筹研究'] },
  { cat: 'HB.02', weight: 14, season: SUMMER, hours: 'evening', types: { complaint: 10 }, cases: [
    ['饭店油烟直排', '{cn}楼下{shop}油烟直排，屋里都是油烟味，窗户都不敢开。', '已责令商户安装油烟净化设施并定期清洗'],
    ['露天烧烤', '{cn}附近有人露天烧烤，烟味很大。', '城管执法部门已取缔露天烧烤，并纳入夜间巡查'],
  ] },
  { cat: 'HB.03', weight: 6, season: DUST, hours: 'day', types: { report: 6, complaint: 4 }, cases: [
    ['有人焚烧垃圾', '{cn}附近有人焚烧垃圾和落叶，浓烟很大。', '已到场制止焚烧行为并依法处罚，现场已清理'],
    ['工厂排放刺鼻气味', '{cn}旁边一家工厂晚上排放刺鼻气体。', '生态环境部门已现场检查，责令企业停产整改'],
  ] },
  { cat: 'HB.04', weight: 3, season: SUMMER, hours: 'day', types: { report: 6, complaint: 4 }, cases: [
    ['河道发臭', '{cn}旁边的河道水发黑发臭。', '已对河道进行清淤治理，并增加巡河频次'],
    ['有人往河里排污', '发现有人往{cn}附近河道里偷排污水。', '已对排污口进行封堵，并对违法排污单位立案查处'],
  ] },
  // 交通运输
  { cat: 'JT.01', weight: 14, hours: 'day', types: { complaint: 8, report: 2 }, cases: [
    ['车辆违停堵门', '{cn}门口长期有车辆违停，堵住出入口。', '交警已到场对违停车辆进行处罚，并将该点位纳入重点巡查'],
    ['占用消防通道停车', '{cn}{b}旁边消防通道被私家车占用。', '已联系车主挪车，并施划消防通道禁停标线'],
  ] },
  { cat: 'JT.02', weight: 6, hours: 'day', types: { complaint: 8, report: 2 }, cases: [
    ['僵尸车长期占道', '{cn}门口有辆僵尸车停了一年多了。', '已张贴告知书并依法拖移僵尸车'],
    ['私放石墩占道', '{cn}附近有商户私放石墩和地锁占用道路。', '已清理私设障碍物，恢复道路通行'],
  ] },
  { cat: 'JT.03.01', weight: 9, hours: 'day', types: { suggestion: 5, complaint: 5 }, cases: [
    ['建议增设公交线路', '{cn}附近居民多，但出行很不方便，建议增设公交线路。', '已开通社区微循环公交线路，方便居民出行'],
    ['公交车发车间隔太长', '{line}公交车等了四十分钟都不来。', '已督促公交公司加强运营调度，高峰时段加密发车'],
  ], limits: ['线路调整需结合客流调查统筹研究，已纳入下一轮线网优化'] },
  { cat: 'JT.03.02', weight: 6, hours: 'day', types: { suggestion: 5, complaint: 5 }, cases: [
    ['建议地铁站增开出入口', '建议{metro}{street}附近站点增开一个出入口。', '已转轨道运营企业研究，该出入口已纳入改造计划'],
    ['地铁早高峰拥挤', '{metro}早高峰太挤了，建议增加车次。', '轨道运营企业已在高峰时段增加列车投放'],
  ] },
  { cat: 'JT.04', weight: 6, hours: 'evening', place: 'none', types: { complaint: 10 }, cases: [
    ['出租车拒载', '昨晚在{street}打车，出租车司机拒载。', '已核实驾驶员拒载行为并依法处罚'],
    ['出租车绕路', '坐出租车从{street}出发，司机故意绕路多收费。', '已核实驾驶员绕路行为，多收费用已退还'],
  ] },
  { cat: 'JT.05', weight: 5, hours: 'day', types: { suggestion: 6, help: 4 }, cases: [
    ['行人绿灯时间太短', '{cn}路口行人绿灯时间太短，老人过不去。', '交管部门已调整该路口信号配时'],
    ['建议增设斑马线', '建议在{cn}门口增设人行横道和减速带。', '交管部门已施划人行横道并设置减速带'],
  ] },
  { cat: 'JT.08', weight: 8, season: GREEN, hours: 'day', types: { complaint: 9, suggestion: 1 }, cases: [
    ['共享单车乱停放', '{cn}门口共享单车堆放成山，人都走不过去。', '已通知运营企业清运调度车辆，并施划停放区'],
    ['共享单车堵塞盲道', '{street}地铁口共享单车占满了盲道。', '已督促运营企业清理盲道上的车辆，并增派运维人员'],
  ] },
  { cat: 'JT.09', weight: 5, hours: 'day', place: 'none', types: { complaint: 10 }, cases: [
    ['快递丢件', '寄到{street}的快递显示已签收，但我没有收到。', '已督促快递企业核实，丢失快件已按规定赔付'],
    ['快递不送货上门', '快递员不送货上门，直接放到驿站还收费。', '已约谈快递企业，督促其按约定投递并停止额外收费'],
  ] },
  { cat: 'JT.10', weight: 32, hours: 'office', place: 'none', types: { consultation: 10 }, cases: [
    ['咨询驾驶证换证', '驾驶证快到期了，想问一下换证需要什么材料。', '驾驶证可在到期前90日内通过交管12123或车管所办理换证，需身份证明和体检证明'],
    ['咨询进京证办理', '外地车辆进京证怎么办理，一年能办几次？', '进京证可通过交管12123或北京交警App办理，按现行规定每年办理次数有限'],
    ['交通违法怎么处理', '收到交通违法短信，想问在哪里处理。', '交通违法可通过交管12123在线处理，或到违法处理窗口办理'],
  ] },
  { cat: 'JT.11', weight: 16, hours: 'office', place: 'none', types: { consultation: 10 }, cases: [
    ['咨询小客车摇号', '想咨询一下家庭积分摇号的规则。', '家庭积分按家庭成员积分之和乘以参与摇号家庭代际数计算，可在小客车指标调控管理信息系统申请'],
    ['新能源指标怎么申请', '新能源小客车指标轮候还要多久？', '新能源指标按家庭优先、个人轮候配置，可登录系统查询轮候位次'],
  ] },
  // 劳动和社会保障
  { cat: 'LD.01', weight: 18, season: WAGES, hours: 'day', types: { complaint: 7, help: 3 }, cases: [
    ['拖欠农民工工资', '我们在{street}{cn}附近工地干活，包工头拖欠{n}个月工资不给，一共{money}元。', '人力社保部门已约谈施工总包单位，拖欠工资已全额支付'],
    ['公司拖欠工资', '公司已经{n}个月没发工资了，老板一直拖着。', '人力社保部门已约谈用人单位，拖欠工资已补发'],
  ], limits: ['用人单位已停业，已指导劳动者申请劳动仲裁，并开辟绿色通道'] },
  { cat: 'LD.02', weight: 9, hours: 'office', place: 'none', types: { complaint: 6, consultation: 4 }, cases: [
    ['公司违法辞退', '公司无故把我辞退，不给经济补偿。', '已约谈用人单位，双方达成调解协议，单位支付经济补偿'],
    ['加班不给加班费', '公司每天让加班到晚上十点，从来不给加班费。', '劳动监察部门已责令用人单位补发加班费'],
  ] },
  { cat: 'LD.03.01', weight: 22, hours: 'office', place: 'none', types: { consultation: 9, help: 1 }, cases: [
    ['咨询养老保险补缴', '以前断缴了几年养老保险，现在能不能补缴？', '断缴期间一般不能补缴，可按规定继续缴费，缴费年限累计计算'],
    ['养老保险怎么转移', '从外地来京工作，养老保险关系怎么转过来？', '养老保险关系可通过国家社会保险公共服务平台申请转移'],
  ] },
  { cat: 'LD.03.02', weight: 12, hours: 'office', place: 'none', types: { consultation: 10 }, cases: [
    ['咨询失业金领取', '刚被辞退，想问失业金怎么领，能领多久？', '可通过人力社保局网站或街道社保所申领失业保险金，领取期限按缴费年限确定'],
    ['失业登记怎么办', '失业登记需要去哪里办理？', '失业登记可在线办理，也可到户籍或常住地街道社保所办理'],
  ] },
  { cat: 'LD.04', weight: 30, hours: 'office', place: 'none', types: { consultation: 9, complaint: 1 }, cases: [
    ['咨询异地就医备案', '父母在外地生活，医保异地就医怎么备案？', '异地就医可通过国家医保服务平台或北京医保公共服务平台办理备案'],
    ['医保报销比例', '想问一下门诊报销的起付线和比例。', '门诊报销起付线和比例按参保类别确定，可通过北京医保公共服务平台查询'],
  ] },
  { cat: 'LD.06', weight: 16, hours: 'office', place: 'none', types: { consultation: 9, complaint: 1 }, cases: [
    ['咨询退休手续', '明年到退休年龄了，想问一下退休手续怎么办理。', '退休手续由存档单位或街道社保所办理，需提前准备档案和缴费记录'],
    ['养老金调整时间', '今年养老金调整什么时候发放？', '养老金调整以国家和本市当年通知为准，调整部分一般补发到位'],
  ] },
  { cat: 'LD.07', weight: 16, hours: 'office', place: 'none', types: { consultation: 10 }, cases: [
    ['咨询积分落户', '想咨询今年积分落户的申报时间和条件。', '积分落户申报时间以市人力社保局公告为准，可登录积分落户在线申报系统查询'],
    ['应届生落户政策', '应届毕业生落户北京需要什么条件？', '应届毕业生落户须经用人单位申报引进，具体条件以当年政策为准'],
  ] },
  { cat: 'LD.08', weight: 3, season: HOT, hours: 'office', place: 'none', types: { complaint: 6, consultation: 4 }, cases: [
    ['公司不发高温补贴', '我们在户外工作，公司不发高温补贴。', '已督促用人单位按规定发放高温津贴'],
    ['咨询高温津贴标准', '想问一下本市的高温津贴标准是多少。', '本市6月至8月发放高温津贴，标准按市人力社保局公布执行'],
  ] },
  // 教育文体
  { cat: 'JY.01.01', weight: 6, season: ENROL, hours: 'office', types: { consultation: 6, help: 4 }, cases: [
    ['附近没有普惠幼儿园', '{cn}附近没有普惠幼儿园，孩子明年入园很难。', '教委已协调附近普惠性幼儿园增加学位'],
    ['咨询幼儿园报名', '想咨询{district}幼儿园什么时候报名。', '幼儿园报名时间以区教委公告为准，可通过区入园服务平台登记'],
  ], limits: ['片区学前教育资源紧张，新建幼儿园预计明年投入使用'] },
  { cat: 'JY.01.02', weight: 9, season: ENROL, hours: 'office', types: { consultation: 6, complaint: 4 }, cases: [
    ['咨询小学入学划片', '{cn}的孩子今年上小学，划片到哪个学校？', '对口学校以区教委公布的划片范围为准，可在入学服务系统查询并按时登记'],
    ['非京籍子女入学', '非京籍孩子在{district}上小学需要哪些材料？', '非京籍适龄儿童须提供在京居住、就业等证明材料，经区教委审核后安排入学'],
  ] },
  { cat: 'JY.03', weight: 5, hours: 'day', place: 'none', types: { complaint: 10 }, cases: [
    ['培训机构突然关门不退费', '{street}一家培训机构突然关门，交的{money}元学费不退。', '已约谈培训机构负责人，剩余课时费已退还'],
    ['培训班拖延退费', '给孩子报的培训班要求退费，机构一直拖着。', '已督促培训机构按合同约定办理退费'],
  ], limits: ['机构已停业失联，已移交公安部门处理'] },
  { cat: 'JY.04', weight: 4, season: SCHOOL, hours: 'office', types: { complaint: 7, suggestion: 3 }, cases: [
    ['学校午餐质量差', '孩子在{street}的小学，午餐质量很差。', '教委已督促学校更换供餐企业并建立家长陪餐制度'],
    ['建议提供课后托管', '建议学校提供课后托管服务，放学太早接不了孩子。', '学校已开设课后服务，家长可自愿报名'],
  ] },
  { cat: 'JY.07', weight: 4, hours: 'day', types: { help: 6, suggestion: 4 }, cases: [
    ['健身器材损坏', '{cn}里的健身器材坏了，存在安全隐患。', '已对损坏器材进行维修更换'],
    ['建议增设健身设施', '建议在{cn}增加一些健身器材。', '已在小区新增一处健身路径'],
  ] },
  // 商贸与市场监管
  { cat: 'SM.02', weight: 10, hours: 'day', types: { complaint: 10 }, cases: [
    ['健身房闭店不退卡', '{street}一家健身房突然闭店，卡里还有{money}元。', '已约谈经营者，协商退还预付卡余额'],
    ['理发店储值卡不退', '{cn}附近理发店办的储值卡不给退。', '经调解，商家同意退还储值卡余额'],
  ], limits: ['经营者已失联，已指导消费者通过司法途径维权'] },
  { cat: 'SM.03', weight: 4, hours: 'day', types: { suggestion: 7, complaint: 3 }, cases: [
    ['小区附近没有菜市场', '{cn}周边没有菜市场，买菜很不方便。', '已引入便民蔬菜零售点，方便居民买菜'],
    ['建议增设早餐点', '建议在{cn}附近设置便民早餐点。', '已在小区周边设置便民早餐车'],
  ] },
  { cat: 'SM.01', weight: 3, season: TRAVEL, hours: 'day', place: 'none', types: { complaint: 10 }, cases: [
    ['一日游强制购物', '参加长城一日游被导游强制购物。', '已对涉事旅行社立案调查，督促退还游客费用'],
    ['景区门票预约难', '景区预约系统一直显示约满。', '已协调景区在节假日增加预约名额'],
  ] },
  { cat: 'SJ.01.02', weight: 7, season: SUMMER, hours: 'evening', types: { complaint: 7, report: 3 }, cases: [
    ['饭店后厨卫生差', '{cn}附近{shop}后厨很脏，有苍蝇。', '市场监管部门已现场检查，责令整改并依法处罚'],
    ['外卖吃出异物', '在{street}一家店点的外卖吃出头发。', '市场监管部门已约谈商户，督促其落实食品安全责任'],
  ] },
  { cat: 'SJ.02', weight: 12, hours: 'day', place: 'none', types: { complaint: 10 }, cases: [
    ['商家不给退货', '在{street}一家商场买的衣服有质量问题，商家不给退。', '经调解，商家同意退货退款'],
    ['售后服务差', '买的空调安装后不制冷，售后一直推脱。', '经调解，厂家已上门维修并延长保修期'],
  ], limits: ['双方分歧较大调解未成，已告知消费者可向人民法院起诉'] },
  { cat: 'SJ.03', weight: 4, hours: 'day', types: { complaint: 10 }, cases: [
    ['商品未明码标价', '{cn}附近超市商品没有明码标价。', '已责令经营者改正，落实明码标价'],
    ['结账价格与标价不一致', '{street}一家店结账时价格和标价不一致。', '已责令经营者退还差价并依法处罚'],
  ] },
  { cat: 'SJ.04', weight: 4, hours: 'day', types: { report: 10 }, cases: [
    ['举报无照经营', '{cn}{b}地下室有人无照经营。', '已依法取缔无照经营户'],
    ['住宅楼里开黑作坊', '{cn}有人在住宅里开加工作坊，噪音和气味很大。', '已会同街道依法取缔该作坊'],
  ] },
  { cat: 'SJ.08', weight: 10, hours: 'office', place: 'none', types: { consultation: 10 }, cases: [
    ['咨询注册公司', '想注册一家公司，需要什么材料？', '可通过北京市企业服务e窗通平台在线办理设立登记'],
    ['个体户怎么注销', '个体工商户不干了，怎么办理注销？', '个体工商户可通过e窗通平台申请简易注销'],
  ] },
  // 卫生计生
  { cat: 'WS.02', weight: 9, season: FLU, hours: 'day', place: 'none', types: { complaint: 6, consultation: 4 }, cases: [
    ['医院挂号排队时间长', '在{district}一家医院看病，排了三个小时队。', '卫健委已督促医院优化就诊流程，增加高峰时段出诊医生'],
    ['医生服务态度差', '医院医生态度很差，问两句就不耐烦。', '卫健委已约谈医院，对相关医生进行了批评教育'],
  ] },
  { cat: 'WS.04', weight: 5, season: PESTS, hours: 'day', types: { help: 6, complaint: 4 }, cases: [
    ['小区老鼠多', '{cn}老鼠到处跑，还钻进了家里。', '已组织专业消杀人员对小区进行灭鼠作业'],
    ['蚊虫太多请求消杀', '{cn}蚊子特别多，请求进行消杀。', '已组织对小区绿地和积水处进行灭蚊消杀'],
  ] },
  { cat: 'WS.05', weight: 10, hours: 'office', place: 'none', types: { consultation: 10 }, cases: [
    ['咨询生育登记', '想问一下生育登记怎么在网上办理。', '生育登记可通过京通或社区卫生服务中心办理'],
    ['咨询育儿补贴', '咨询一下育儿补贴怎么申领。', '育儿补贴按国家和本市规定申领，可通过京通查询办理'],
  ] },
  { cat: 'WS.07', weight: 2, hours: 'day', types: { report: 10 }, cases: [
    ['举报黑诊所', '{cn}有一家没有资质的诊所在给人输液。', '卫生监督部门已依法取缔非法行医点'],
    ['美容院违规注射', '{street}一家美容院给人打针注射。', '卫生监督部门已立案查处，责令停止违规医疗美容'],
  ] },
  // 公共安全
  { cat: 'GA.01.02', weight: 9, season: WINTER, hours: 'day', place: 'urban', types: { report: 5, complaint: 5 }, cases: [
    ['楼道堆物', '{cn}{b}楼道里堆满杂物，一旦着火很危险。', '已组织物业和社区清理楼道堆物'],
    ['飞线充电', '{cn}有人从楼上拉电线给电动车充电。', '已清理飞线，并在小区加装电动自行车充电桩'],
  ] },
  { cat: 'GA.06', weight: 7, hours: 'evening', types: { complaint: 9, help: 1 }, cases: [
    ['遛狗不拴绳', '{cn}有人遛狗不拴绳，小孩被吓哭了。', '公安和社区已开展文明养犬宣传，并对不拴绳行为进行劝导'],
    ['流浪狗伤人', '{cn}有几只流浪狗，已经咬伤了人。', '已协调收容流浪犬，并提醒伤者及时接种疫苗'],
  ] },
  { cat: 'GA.02', weight: 3, hours: 'night', types: { report: 10 }, cases: [
    ['可疑人员出没', '{cn}晚上经常有可疑人员在车边转悠。', '派出所已加强夜间巡逻，并在小区加装监控'],
    ['有人聚众赌博', '{cn}{b}地下室有人聚众赌博。', '派出所已对涉赌人员依法处理'],
  ] },
  { cat: 'GA.03', weight: 26, hours: 'office', place: 'none', types: { consultation: 10 }, cases: [
    ['咨询新生儿落户', '孩子刚出生，想问一下怎么上户口。', '新生儿可在出生一个月内到户籍地派出所或通过网上办理出生登记'],
    ['身份证补办', '身份证丢了，在哪里补办，需要多长时间？', '可到任一派出所户籍窗口补领身份证，也可网上预约'],
  ] },
  // 民政与社会事务
  { cat: 'MZ.01', weight: 8, hours: 'office', types: { consultation: 5, help: 5 }, cases: [
    ['老人助餐服务', '{cn}附近有没有养老驿站可以提供助餐？', '附近养老驿站提供助餐、助浴等服务，老人可持身份证到驿站登记用餐'],
    ['高龄津贴怎么申请', '家里老人今年八十岁了，高龄津贴怎么申请？', '高龄津贴可通过社区或京通申请，审核后按月发放'],
  ] },
  { cat: 'MZ.02', weight: 5, hours: 'office', types: { help: 10 }, cases: [
    ['申请低保', '家住{cn}，家里老人生病没有收入，想申请低保。', '街道已入户核实，协助提交了低保申请'],
    ['困难家庭请求救助', '{cn}一户居民生活困难，请求临时救助。', '街道已入户核实情况，临时救助金已发放'],
  ] },
  { cat: 'MZ.04', weight: 8, hours: 'office', place: 'none', types: { consultation: 10 }, cases: [
    ['咨询结婚登记', '想问一下结婚登记需要带什么材料，怎么预约。', '结婚登记需双方携带身份证和户口簿，可通过婚姻登记预约平台预约'],
    ['补领结婚证', '结婚证丢了怎么补领？', '可到婚姻登记机关申请补领，需携带身份证和户口簿'],
  ] },
  { cat: 'MZ.05', weight: 3, season: QINGMING, hours: 'office', place: 'none', types: { consultation: 6, complaint: 4 }, cases: [
    ['清明祭扫预约', '清明节祭扫需要预约吗，怎么预约？', '清明祭扫实行预约，可通过民政局官网或公墓公众号预约'],
    ['公墓收费不合理', '公墓管理费一次收了二十年的，收费不合理。', '已督促公墓经营单位按规定公示收费标准，并退还多收部分'],
  ] },
  { cat: 'MZ.07', weight: 9, hours: 'evening', types: { help: 6, complaint: 4 }, cases: [
    ['楼上噪音邻里纠纷', '{cn}{b}楼上邻居每天晚上很吵，多次沟通无效。', '社区调解员已组织双方调解，达成和解'],
    ['邻居占用楼道', '{cn}邻居把杂物堆在楼道公共空间，协商不成。', '社区已协调邻居清理杂物，恢复公共空间'],
  ], limits: ['双方分歧较大，调解未达成一致，已告知可通过人民调解委员会或诉讼解决'] },
  // 政务服务与咨询
  { cat: 'ZW.01', weight: 30, hours: 'office', place: 'none', types: { consultation: 10 }, cases: [
    ['咨询居住证办理', '非京籍，想问一下居住证怎么办理。', '居住证可在居住地派出所或社区受理点申领'],
    ['居住证签注', '居住证到期了，签注去哪里办？', '居住证签注可到受理点办理，也可通过网上办理'],
  ] },
  { cat: 'ZW.04', weight: 26, hours: 'office', place: 'none', types: { consultation: 10 }, cases: [
    ['咨询租房提取公积金', '租房能提取公积金吗，怎么办理？', '租房提取可通过住房公积金网上业务平台办理'],
    ['公积金贷款额度', '想咨询公积金贷款的额度怎么计算。', '贷款额度按缴存余额、还款能力等因素计算，可在公积金中心网站试算'],
  ] },
  { cat: 'ZW.05', weight: 10, season: TRAVEL, hours: 'office', place: 'none', types: { consultation: 10 }, cases: [
    ['咨询办理护照', '第一次办理护照需要什么材料？', '护照可在全国任一出入境接待大厅办理，需携带身份证'],
    ['港澳通行证签注', '港澳通行证签注可以在网上办吗？', '港澳签注可通过自助签注机或网上办理'],
  ] },
  { cat: 'ZW.03', weight: 24, hours: 'office', place: 'none', types: { consultation: 10 }, cases: [
    ['咨询补贴政策', '想咨询一下{district}的相关补贴政策。', '相关补贴按区政府公布的政策执行，可通过区政务服务中心或京通查询申请条件'],
    ['咨询办事流程', '请问办理这个事需要什么材料，在哪里办？', '所需材料和办理窗口可在北京市政务服务网查询，也可到政务服务中心综合窗口咨询'],
  ] },
  { cat: 'ZW.06', weight: 4, hours: 'office', types: { complaint: 10 }, cases: [
    ['工作人员推诿扯皮', '到{street}办事，工作人员互相推诿。', '已对相关工作人员进行批评教育，并明确首问负责'],
    ['窗口办事效率低', '在{district}政务服务中心办事，跑了三次都没办成。', '已协调窗口一次性告知所需材料，事项已办结'],
  ] },
  // 其他
  { cat: 'QT.01', weight: 20, hours: 'day', types: { praise: 10 }, cases: [
    ['表扬{street}工作人员', '{street}工作人员{name}认真负责，很快帮我们解决了问题，特此表扬。', '已将表扬转达至相关单位和工作人员，感谢市民的肯定'],
    ['感谢社区工作人员', '{cn}社区工作人员热心帮助独居老人，值得表扬。', '已将表扬转达至社区，感谢市民的肯定'],
  ] },
  { cat: 'QT.02', weight: 22, hours: 'day', types: { suggestion: 10 }, cases: [
    ['建议增设充电桩', '建议在{cn}增设电动汽车充电桩。', '建议已转相关部门研究，该点位已纳入年度充电设施建设计划'],
    ['建议增加无障碍设施', '建议在{street}公共场所增加无障碍设施。', '建议已转相关部门，部分点位已完成无障碍改造'],
  ] },
];

const shops = ['烧烤店', '饭馆', '火锅店', '小吃店', 'KTV', '酒吧', '超市', '洗车店', '麻辣烫店'] as const;
const metros = ['1号线', '2号线', '4号线', '5号线', '6号线', '10号线', '13号线', '14号线', '15号线', '昌平线', '亦庄线', '房山线', '八通线'] as const;
const surnames = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const givenNames = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '平', '刚', '桂英', '建国', '建华', '志强', '淑珍', '玉兰', '海燕', '文', '欣怡', '浩', '宇轩', '子涵', '梓萱', '俊杰', '晓东', '红梅', '国华', '丽华'];

const openings: Record<RequestType, readonly string[]> = {
  complaint: ['', '', '反映一个问题：', '我是附近居民，'],
  help: ['', '', '您好，', '麻烦帮个忙，'],
  consultation: ['', '您好，', '请问，'],
  suggestion: ['', '提个建议：'],
  report: ['', '举报：', '实名举报，'],
  praise: [''],
};
const closings: Record<RequestType, readonly string[]> = {
  complaint: ['希望相关部门尽快处理。', '已经反映多次一直没有解决，请督促处理。', '严重影响居民生活，请尽快解决。', ''],
  help: ['请尽快派人处理。', '麻烦帮忙协调解决，谢谢。', ''],
  consultation: ['', '请告知具体办理方式。', '谢谢。'],
  suggestion: ['希望采纳。', '望有关部门考虑。'],
  report: ['请相关部门查处。', '希望依法处理。'],
  praise: ['', '谢谢他们！'],
};
const replyOpenings = ['经核实，', '接单后我单位立即安排人员现场核实，', '经与诉求人联系并现场查看，'];
const replyTails = ['已电话告知诉求人处理结果。', '处理结果已向诉求人反馈。', '后续将加强日常巡查，防止问题反复。'];
const partlyTails = ['目前已先行处置，剩余问题已纳入后续工作计划，将持续跟进。', '部分问题需协调其他单位，正在推进中。'];
const genericLimits = ['该问题涉及历史遗留问题，需多部门协调，暂不具备立即解决的条件，已向诉求人做好解释', '诉求事项不符合现行政策规定，已向诉求人解释说明'];
const responseNotes: readonly { method: 'phone' | 'sms' | 'visit'; note: string }[] = [
  { method: 'phone', note: '已电话联系诉求人，了解具体情况，将尽快安排人员现场核实' },
  { method: 'phone', note: '已联系诉求人，约定上门查看时间' },
  { method: 'sms', note: '已短信告知诉求人工单已受理，并安排专人办理' },
  { method: 'visit', note: '已上门与诉求人沟通，查看现场情况' },
];

// ── Shares ─────────────────────────────────────────────────────────────────────────────────────────────────

/** Channels by request type: the phone dominates (91% of Beijing's 2020 volume); complaints come online too. */
const channelShares: Record<RequestType, Partial<Record<Channel, number>>> = {
  consultation: { hotline: 90, web: 3, wechat: 4, app: 3 },
  complaint: { hotline: 80, web: 6, wechat: 8, app: 5, h5: 1 },
  help: { hotline: 85, web: 4, wechat: 6, app: 4, h5: 1 },
  suggestion: { hotline: 55, web: 25, wechat: 12, app: 8 },
  report: { hotline: 70, web: 12, wechat: 10, app: 8 },
  praise: { hotline: 75, web: 10, wechat: 10, app: 5 },
};

/** Consultations the agent answers on the spot (直接办结) when the knowledge base or the catalogue has the answer. */
const DIRECT_ANSWER_SHARE = 0.85;
/** Of orders not answered on the spot: sent to the dispatch centre's review queue (low confidence). */
const REVIEW_SHARE = 0.12;
/** Of reviewed orders: the dispatcher corrects the proposed category (a training example for retraining). */
const CORRECTION_SHARE = 0.3;
const INVALID_SHARE = 0.006;
const DUPLICATE_SHARE = 0.015;
const TERMINATE_SHARE = 0.004;
/** Topics whose problems often wait for budget or planning (挂账). */
const PARKABLE = new Set(['CX.04.03', 'CX.10', 'CX.13', 'CX.02.03', 'HB.01.03', 'JT.03.01']);

// ── The world, as the store holds it ───────────────────────────────────────────────────────────────────────

type UnitInfo = { id: string; name: string; level: string; kind: string | null; parentId: string | null; path: string };
type Community = { id: string; name: string; display: string; village: boolean };
type Street = { id: string; name: string; kind: string; district: string; weight: number; communities: Community[]; villages: Community[]; urban: Community[] };
type District = { id: string; name: string; population: number; streets: Street[] };
type CategoryInfo = { id: string; name: string; handling: Handling; department: { level: 'city' | 'district'; abbr: string } | null; coUnits: ({ level: 'city' | 'district'; abbr: string } | { level: 'street' })[]; urgency: Urgency; active: boolean; parentId: string | null };
type KnowledgeInfo = { id: string; title: string; answer: string };
/** Who takes a step: the domain's view (role, scope) and what the history records. */
type Who = { ref: ActorRef; actorId: string | null; actorName: string; actorRole: string; actorUnitId: string | null };

type World = {
  units: Map<string, UnitInfo>;
  districts: District[];
  categories: Map<string, CategoryInfo>;
  knowledge: Map<string, KnowledgeInfo[]>;
  agents: Who[];
  dispatchers: Who[];
  supervisors: Who[];
  /** Real handler and grid-worker accounts by unit, so a demo account sees its own unit's history signed by itself. */
  handlers: Map<string, { id: string; displayName: string }>;
  gridWorkers: Map<string, { id: string; displayName: string }>;
  citizen: { id: string; displayName: string; phone: string | null } | null;
  policies: readonly DeadlinePolicy[];
  /** The working-day calendar the lifecycle counts on: chinese-days plus the years an administrator entered. */
  calendar: WorkCalendar;
};

const CENTRE = hotlineCentre.code;
const VILLAGE = /(村民委员会|村委会)$/;

function communityDisplay(name: string): string {
  return name.replace(/(社区居民委员会|社区居委会|居民委员会|居委会)$/, '社区').replace(/(村民委员会|村委会)$/, '村');
}

async function loadWorld(db: Db): Promise<World> {
  const [unitRows, catRows, knowRows, userRows] = await Promise.all([
    db.select({ id: units.id, name: units.name, level: units.level, kind: units.kind, parentId: units.parentId, path: units.path, active: units.active }).from(units),
    db.select().from(categories),
    db.select({ id: knowledge.id, title: knowledge.title, answer: knowledge.answer, categoryId: knowledge.categoryId }).from(knowledge).where(eq(knowledge.active, true)).orderBy(knowledge.title),
    db.select({ id: users.id, displayName: users.displayName, role: users.role, unitId: users.unitId, phone: users.phone }).from(users).where(eq(users.active, true)).orderBy(users.username),
  ]);
  const unitMap = new Map<string, UnitInfo>();
  for (const u of unitRows) if (u.active) unitMap.set(u.id, { id: u.id, name: u.name, level: u.level, kind: u.kind, parentId: u.parentId, path: u.path });
  const streetsByDistrict = new Map<string, Street[]>();
  const communitiesByStreet = new Map<string, Community[]>();
  for (const u of unitMap.values()) {
    if (u.level !== 'community' || !u.parentId) continue;
    const list = communitiesByStreet.get(u.parentId) ?? [];
    list.push({ id: u.id, name: u.name, display: communityDisplay(u.name), village: VILLAGE.test(u.name) });
    communitiesByStreet.set(u.parentId, list);
  }
  for (const u of unitMap.values()) {
    // The 343 streets/townships: development zones (开发区) are administered apart and not among them.
    if (u.level !== 'street' || u.kind === '开发区' || !u.parentId) continue;
    const communities = (communitiesByStreet.get(u.id) ?? []).sort((a, b) => a.id.localeCompare(b.id));
    if (communities.length === 0) continue;
    const villages = communities.filter((c) => c.village);
    const urban = communities.filter((c) => !c.village);
    // No street populations are published with the divisions: a 社区 stands for about three villages' people.
    const weight = 2 + urban.length + 0.35 * villages.length;
    const list = streetsByDistrict.get(u.parentId) ?? [];
    list.push({ id: u.id, name: u.name, kind: u.kind ?? '街道', district: u.parentId, weight, communities, villages, urban });
    streetsByDistrict.set(u.parentId, list);
  }
  const districts: District[] = [...unitMap.values()]
    .filter((u) => u.level === 'district' && DISTRICT_POPULATION_2020[u.id] !== undefined && streetsByDistrict.has(u.id))
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((u) => ({ id: u.id, name: u.name, population: DISTRICT_POPULATION_2020[u.id] ?? 0, streets: (streetsByDistrict.get(u.id) ?? []).sort((a, b) => a.id.localeCompare(b.id)) }));
  if (districts.length === 0) throw new Error('no districts with streets in the units table: seed the reference data first');
  const categoryMap = new Map<string, CategoryInfo>(catRows.map((c) => [c.id, { id: c.id, name: c.name, handling: c.handling as Handling, department: c.department, coUnits: c.coUnits.flatMap((u): CategoryInfo['coUnits'] => (u.level === 'street' ? [{ level: 'street' }] : u.abbr ? [{ level: u.level, abbr: u.abbr }] : [])), urgency: c.urgency as Urgency, active: c.active, parentId: c.parentId }]));
  const knowledgeMap = new Map<string, KnowledgeInfo[]>();
  for (const k of knowRows) {
    if (!k.categoryId) continue;
    knowledgeMap.set(k.categoryId, [...(knowledgeMap.get(k.categoryId) ?? []), { id: k.id, title: k.title, answer: k.answer }]);
  }
  const centre = unitMap.get(CENTRE);
  const cityScope = CITY_PATH;
  const staff = (role: 'agent' | 'dispatcher' | 'supervisor', fallbackName: string): Who[] => {
    const real = userRows.filter((u) => u.role === role && u.unitId === CENTRE);
    const list = real.map((u) => ({ ref: { userId: u.id, role, unitId: CENTRE, scopePath: cityScope }, actorId: u.id, actorName: u.displayName, actorRole: role, actorUnitId: CENTRE }));
    return list.length ? list : [{ ref: { userId: `seed-${role}`, role, unitId: centre ? CENTRE : null, scopePath: cityScope }, actorId: null, actorName: fallbackName, actorRole: role, actorUnitId: centre ? CENTRE : null }];
  };
  const byUnit = (role: string) => {
    const m = new Map<string, { id: string; displayName: string }>();
    for (const u of userRows) if (u.role === role && u.unitId && !m.has(u.unitId)) m.set(u.unitId, { id: u.id, displayName: u.displayName });
    return m;
  };
  const citizenRow = userRows.find((u) => u.role === 'citizen');
  return {
    units: unitMap,
    districts,
    categories: categoryMap,
    knowledge: knowledgeMap,
    agents: staff('agent', '12345受理员'),
    dispatchers: staff('dispatcher', '12345派单员'),
    supervisors: staff('supervisor', '12345督办员'),
    handlers: byUnit('handler'),
    gridWorkers: byUnit('grid_worker'),
    citizen: citizenRow ? { id: citizenRow.id, displayName: citizenRow.displayName, phone: citizenRow.phone } : null,
    policies: await getDeadlinePolicies(db, { fresh: true }),
    calendar: await getWorkCalendar(db),
  };
}

// ── Arrivals: when the calls come, and about what ──────────────────────────────────────────────────────────

type Arrival = { at: number; topic: number };

/**
 * Sample N arrival instants between `from` and `now` with their topic: each (day, topic) cell weighs the topic's
 * share × its season that month × the rest-day factor × a gentle growth (volumes rose year on year), then the hour
 * follows the topic's profile. Sorted by time, so numbers run with the clock.
 */
function planArrivals(rng: Rng, live: readonly number[], n: number, from: Date, now: Date, calendar: WorkCalendar): Arrival[] {
  const days: string[] = [];
  for (let d = shanghaiDate(from); fromShanghai(d).getTime() <= now.getTime(); d = addDays(d, 1)) days.push(d);
  const nowParts = toShanghai(now);
  const weights: number[] = [];
  days.forEach((d, di) => {
    const month = Number(d.slice(5, 7)) - 1;
    const rest = !calendar.isWorkday(d);
    const growth = 1 + 0.2 * (di / Math.max(1, days.length - 1));
    for (const ti of live) {
      const t = topics[ti];
      const profile = t?.hours ?? 'day';
      const hours = HOURS[profile];
      // Today counts only its hours gone by.
      const share = d === nowParts.date ? hours.slice(0, nowParts.hour).reduce((s, h) => s + h, 0) / hours.reduce((s, h) => s + h, 0) : 1;
      weights.push(t ? t.weight * (t.season?.[month] ?? 1) * (rest ? REST_DAY[profile] : 1) * growth * share : 0);
    }
  });
  const cells = new Picker([...weights.keys()], (i) => weights[i] ?? 0);
  const out: Arrival[] = [];
  for (let i = 0; i < n; i++) {
    const cell = cells.pick(rng);
    const day = days[Math.floor(cell / live.length)] ?? nowParts.date;
    const topic = live[cell % live.length] ?? 0;
    const hourPicker = hourPickers[topics[topic]?.hours ?? 'day'];
    const lastHour = day === nowParts.date ? Math.max(0, nowParts.hour - 1) : 23;
    // Today only has the hours gone by: draw again until the hour has passed (a few tries at most).
    let hour = hourPicker.pick(rng);
    for (let tries = 0; hour > lastHour && tries < 50; tries++) hour = hourPicker.pick(rng);
    hour = Math.min(hour, lastHour);
    const at = fromShanghai(day, hour, rng.int(60), rng.int(60)).getTime();
    out.push({ at: Math.max(from.getTime(), Math.min(at, now.getTime() - 60_000)), topic });
  }
  return out.sort((a, b) => a.at - b.at);
}

// ── One order's life ───────────────────────────────────────────────────────────────────────────────────────

type RequestRow = typeof requests.$inferInsert;
type OrderRow = typeof orders.$inferInsert;
type UnitRow = typeof orderUnits.$inferInsert;
type EventRow = typeof orderEvents.$inferInsert;
type ClockRow = typeof orderClocks.$inferInsert;
type TrainingRow = typeof trainingExamples.$inferInsert;

/** Everything one order writes, and what merging needs to know about it. */
type Bundle = {
  request: RequestRow;
  order: OrderRow & { id: string; no: string; version: number; updatedAt: Date; acceptedAt: Date };
  units: UnitRow[];
  events: EventRow[];
  clocks: ClockRow[];
  training: TrainingRow[];
  topic: number;
  caseIndex: number;
  place: Place;
  /** The state the order was in at an instant, for a duplicate looking for an order to merge into. */
  stateAt(t: number): OrderState;
};

type Place = { district: District; street: Street; community: Community; kind: PlaceNeed };
type Timed = { clock: Clock; warnedAt: Date | null; overdueAt: Date | null };
const SWEEP_EVERY_MS = 30_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * An order being lived step by step: every step goes through `decideTransition` and its effects are carried out
 * as transitionOrder carries them out (clocks as in clocks.ts, units as in applyToStore); between steps the
 * deadline sweep is replayed (warnings, overdue and the automatic escalation, as sweepDeadlines writes them).
 */
class OrderLife {
  snap: OrderSnapshot;
  readonly clocks = new Map<ClockKind, Timed>();
  readonly units = new Map<string, UnitRow>();
  readonly events: EventRow[] = [];
  readonly training: TrainingRow[] = [];
  t: number;
  overdue = false;
  cols: Partial<OrderRow> = {};
  categoryId: string | null;

  constructor(
    readonly id: string,
    readonly title: string,
    readonly body: string,
    categoryId: string | null,
    readonly policy: DeadlinePolicy,
    readonly world: World,
    readonly districtId: string,
    readonly now: number,
    readonly lag: () => number,
    acceptedAt: number,
  ) {
    this.snap = { id, state: 'accepted', version: 1, leadUnitId: null, leadUnitPath: null, coUnitPaths: [], signedCoUnitPaths: [], extension: null, reopenCount: 0, replyDueAt: null, cityPath: CITY_PATH };
    this.t = acceptedAt;
    this.categoryId = categoryId;
  }

  get state(): OrderState {
    return this.snap.state;
  }

  /** Whether a step at `at` has happened by now. */
  can(at: number): boolean {
    return at <= this.now;
  }

  record(who: Who, at: number, type: string, from: OrderState | null, to: OrderState | null, data: Record<string, unknown>): void {
    this.events.push({ orderId: this.id, at: new Date(at), type, fromState: from, toState: to, actorId: who.actorId, actorName: who.actorName, actorRole: who.actorRole, actorUnitId: who.actorUnitId, data });
  }

  /** Take one step at `at` (never before the last one); false, and nothing done, when `at` is still to come. */
  step(who: Who, action: OrderAction, at: number, opts: { categoryCode?: string } = {}): boolean {
    at = Math.max(at, this.t);
    if (!this.can(at)) {
      this.sweepTo(this.now);
      return false;
    }
    this.sweepTo(at);
    const now = new Date(at);
    const decision = decideTransition({ order: this.snap, action, actor: who.ref, now });
    if (opts.categoryCode && opts.categoryCode !== this.categoryId) this.recategorize(who, at, opts.categoryCode);
    const reopen = this.apply(who, action, decision, at);
    if (reopen) {
      const again: OrderAction = { kind: 'reopen', reason: reopen };
      this.apply(systemWho, again, decideTransition({ order: this.snap, action: again, actor: systemActor, now }), at);
    }
    return true;
  }

  private recategorize(who: Who, at: number, to: string): void {
    this.record(who, at, 'recategorize', this.state, this.state, { from: this.categoryId, to, toName: this.world.categories.get(to)?.name ?? to });
    this.training.push({ orderId: this.id, title: this.title, body: this.body, categoryId: to, previousCategoryId: this.categoryId, source: 'correction', createdBy: who.actorId, createdAt: new Date(at) });
    this.categoryId = to;
  }

  /** The decision's event, columns and effects, as applyToStore writes them; returns a recommended reopen. */
  private apply(who: Who, action: OrderAction, d: Decision, at: number): string | undefined {
    const now = new Date(at);
    this.snap = applyDecision(this.snap, d);
    this.record(who, at, d.eventType, d.from, d.to, d.eventData);
    Object.assign(this.cols, stepColumns(action, d, now));
    let reopen: string | undefined;
    for (const e of d.effects) {
      switch (e.kind) {
        case 'start_clocks': {
          const started = startPolicyClocks({ policy: this.policy, start: now, calendar: this.world.calendar });
          for (const kind of e.clocks) {
            const c = started[kind];
            if (c) this.clocks.set(kind, { clock: c, warnedAt: null, overdueAt: null });
          }
          break;
        }
        case 'stop_clock': {
          const c = this.clocks.get(e.clock);
          if (c && !c.clock.stoppedAt) c.clock = stopClock(c.clock, now);
          break;
        }
        case 'pause_clock': {
          const c = this.clocks.get(e.clock);
          // As pauseClockOf: a paused, stopped or overdue clock stays as it is.
          if (c && !c.clock.stoppedAt && !c.clock.pausedAt && clockStatus(c.clock, now) !== 'overdue') c.clock = pauseClock(c.clock, now);
          break;
        }
        case 'resume_clock': {
          const c = this.clocks.get(e.clock);
          if (!c || c.clock.stoppedAt) break;
          if (c.clock.pausedAt) c.clock = resumeClock(c.clock, now, this.world.calendar);
          if (e.extendDays && e.extendDays > 0) {
            c.clock = extendClock(c.clock, { amount: e.extendDays, unit: c.clock.duration.unit === 'working_days' ? 'working_days' : 'calendar_days' }, this.world.calendar);
            c.warnedAt = null;
            c.overdueAt = null;
          }
          break;
        }
        case 'cancel_clocks':
          this.clocks.clear();
          break;
        case 'set_units': {
          for (const u of this.units.values()) u.active = false;
          for (const [u, role] of [[e.lead, 'lead'], ...e.coUnits.map((c) => [c, 'co'] as const)] as const) {
            this.units.set(u.id, { orderId: this.id, unitId: u.id, unitPath: u.path, role, active: true, signedAt: null, assignedAt: now });
          }
          break;
        }
        case 'co_unit_signed':
          for (const u of this.units.values()) if (u.unitPath === e.unitPath && u.active) u.signedAt = now;
          break;
        case 'exclude_from_assessment':
          if (e.unitPath) {
            for (const u of this.units.values()) if (u.unitPath === e.unitPath) u.active = false;
          } else {
            this.cols.assessmentExcluded = true;
            this.cols.exclusionReason = e.reason;
          }
          break;
        case 'reopen_recommended':
          reopen = e.reason;
          break;
        case 'merge_into':
          // The surviving order's side (requests moved, merged_in event) is written by the batch, which holds both.
          break;
        case 'notify':
          // History is not news: a seeded past sends no notifications.
          break;
      }
    }
    this.cols.updatedAt = now;
    this.t = at;
    this.denormalise(at);
    return reopen;
  }

  private denormalise(at: number): void {
    const now = new Date(at);
    this.snap = { ...this.snap, replyDueAt: this.clocks.get('reply')?.clock.due ?? null };
    this.overdue = [...this.clocks.values()].some((c) => clockStatus(c.clock, now) === 'overdue');
  }

  /** Replay the deadline sweep up to `until`: each clock is looked at when its next check comes due (plus the sweep's lag). */
  sweepTo(until: number): void {
    for (const kind of ['sign', 'response', 'reply'] as const) {
      const c = this.clocks.get(kind);
      if (!c) continue;
      for (let next = nextCheckOf(c.clock, c); next && next.getTime() < until; next = nextCheckOf(c.clock, c)) {
        const at = next.getTime() + this.lag();
        if (at >= until || at > this.now) break;
        const sweepNow = new Date(at);
        const status = clockStatus(c.clock, sweepNow);
        if (status === 'overdue' && !c.overdueAt) {
          c.overdueAt = sweepNow;
          c.warnedAt ??= sweepNow;
          const superior = this.districtId || (this.snap.leadUnitId ? (this.world.units.get(this.snap.leadUnitId)?.parentId ?? null) : null);
          this.events.push({ orderId: this.id, at: sweepNow, type: 'overdue', fromState: this.state, toState: this.state, actorId: null, actorName: '系统', actorRole: 'system', actorUnitId: null, data: { clock: kind, dueAt: c.clock.due.toISOString() } });
          this.events.push({ orderId: this.id, at: sweepNow, type: 'escalate', fromState: this.state, toState: this.state, actorId: null, actorName: '系统', actorRole: 'system', actorUnitId: null, data: { auto: true, clock: kind, toUnitId: superior } });
          this.overdue = true;
        } else if (status === 'warning' && !c.warnedAt) {
          c.warnedAt = sweepNow;
          this.events.push({ orderId: this.id, at: sweepNow, type: 'deadline_warning', fromState: this.state, toState: this.state, actorId: null, actorName: '系统', actorRole: 'system', actorUnitId: null, data: { clock: kind, dueAt: c.clock.due.toISOString() } });
        } else {
          break;
        }
      }
    }
  }

  clockRows(): ClockRow[] {
    return [...this.clocks.values()].map(({ clock, warnedAt, overdueAt }) => clockValues(this.id, clock, { warnedAt, overdueAt }));
  }

  /** The clock of a kind, if running. */
  running(kind: ClockKind): Clock | null {
    const c = this.clocks.get(kind)?.clock;
    return c && !c.stoppedAt && !c.pausedAt ? c : null;
  }
}

const systemWho: Who = { ref: systemActor, actorId: null, actorName: systemActor.displayName, actorRole: systemActor.role, actorUnitId: systemActor.unitId };

// ── The planner: what happens to an order, and when ────────────────────────────────────────────────────────

type Ctx = {
  world: World;
  seed: string;
  now: number;
  from: number;
  quality: (unitId: string) => number;
  handler: (unitId: string) => Who | null;
  gridWorker: (streetId: string) => Who | null;
  /** Orders of this batch so far, for repeats to merge into (a merge writes to both orders, so both are in one batch). */
  recent: Bundle[];
  /** The demo citizen account files a few orders of its own through the app, so its workspace is not empty. */
  citizenOrders: { left: number };
};

function fill(rng: Rng, text: string, place: Place | null): string {
  const c = place?.community;
  return text.replace(/\{(\w+)\}/g, (_, key: string) => {
    switch (key) {
      case 'district':
        return place?.district.name ?? '';
      case 'street':
        return place?.street.name ?? '';
      case 'cn':
        return c?.display ?? '';
      case 'b':
        return c?.village ? `${rng.int(12) + 1}组` : `${rng.int(30) + 1}号楼`;
      case 'u':
        return c?.village ? '' : `${rng.int(6) + 1}单元`;
      case 'n':
        return String(rng.int(8) + 2);
      case 'temp':
        return String(rng.int(5) + 12);
      case 'days':
        return String(rng.int(18) + 3);
      case 'months':
        return String(rng.int(5) + 2);
      case 'money':
        return String((rng.int(90) + 10) * 100);
      case 'shop':
        return rng.pick(shops);
      case 'line':
        return `${rng.int(990) + 1}路`;
      case 'metro':
        return rng.pick(metros);
      case 'name':
        return personName(rng);
      default:
        return '';
    }
  });
}

function personName(rng: Rng): string {
  return `${surnames[rng.int(surnames.length)] ?? '王'}${rng.pick(givenNames)}`;
}

function phone(rng: Rng): string {
  return `1${rng.pick(['3', '5', '8', '7'])}${String(rng.int(1e9)).padStart(9, '0')}`;
}

type PlaceNeed = NonNullable<Topic['place']>;
const pickersByWorld = new WeakMap<World, Map<string, Picker<District> | Picker<Street>>>();

/** Where the problem is: a district by population, a street by its communities, a community or village in it. */
function choosePlace(rng: Rng, world: World, topic: Topic): Place {
  const need: PlaceNeed = topic.place ?? 'community';
  const eligible = (s: Street) => (need === 'rural' ? s.villages.length > 0 : need === 'urban' ? s.urban.length > 0 : true);
  let cache = pickersByWorld.get(world);
  if (!cache) pickersByWorld.set(world, (cache = new Map<string, Picker<District> | Picker<Street>>()));
  let districts = cache.get(need) as Picker<District> | undefined;
  if (!districts) cache.set(need, (districts = new Picker(world.districts.filter((d) => d.streets.some(eligible)), (d) => d.population)));
  const district = districts.pick(rng);
  const key = `${need}:${district.id}`;
  let streets = cache.get(key) as Picker<Street> | undefined;
  if (!streets) cache.set(key, (streets = new Picker(district.streets.filter(eligible), (s) => s.weight)));
  const street = streets.pick(rng);
  const pool = need === 'rural' ? street.villages : need === 'urban' ? street.urban : street.communities;
  return { district, street, community: rng.pick(pool), kind: need };
}

/** Delay of a duty with a deadline `window` ahead: mostly in time (sooner for better units), sometimes late. */
function dutyDelay(rng: Rng, window: number, q: number, pLate: number): number {
  if (rng.chance(pLate)) return window + rng.lognormal(Math.max(window * 0.3, 20 * MINUTE), 1);
  const share = Math.min(0.97, Math.max(0.02, rng.lognormal(0.12 + 0.45 * (1 - q), 0.6)));
  return Math.max(MINUTE, window * share);
}

/** Handlers and the hotline work days: a non-urgent step that falls in the night mostly waits for the morning. */
function officeHours(rng: Rng, t: number, urgent: boolean): number {
  const h = toShanghai(new Date(t)).hour;
  if (urgent || (h >= 8 && h < 21) || !rng.chance(0.85)) return t;
  const day = h >= 21 ? addDays(shanghaiDate(new Date(t)), 1) : shanghaiDate(new Date(t));
  return Math.max(t, fromShanghai(day, 8, rng.int(120)).getTime());
}

/** The citizen's answers at follow-up, from the unit's quality, the difficulty, and the round. */
function outcome(rng: Rng, q: number, topic: Topic, type: RequestType, urgency: Urgency, round: number): { resolution: Resolution; satisfaction: Satisfaction } {
  if (type === 'praise') return { resolution: 'resolved', satisfaction: rng.chance(0.95) ? 'satisfied' : 'no_answer' };
  const pRes = Math.min(0.98, 0.5 + 0.47 * q - (urgency === 'complex' ? 0.12 : 0) + (type === 'consultation' ? 0.08 : 0) + 0.1 * round - (topic.limits ? 0.03 : 0));
  const r = rng.next();
  const resolution: Resolution = r < pRes ? 'resolved' : r < pRes + (1 - pRes) * 0.55 ? 'partly' : 'unresolved';
  const table: Record<Resolution, Partial<Record<Satisfaction, number>>> = {
    resolved: { satisfied: 0.78 + 0.15 * q, basic: 0.12, unsatisfied: 0.03, no_answer: 0.04 },
    partly: { satisfied: 0.22, basic: 0.4, unsatisfied: 0.3, no_answer: 0.08 },
    unresolved: { satisfied: 0.04, basic: 0.12, unsatisfied: 0.76, no_answer: 0.08 },
  };
  let satisfaction = rng.weighted(table[resolution]);
  // A third reopen is rare: by then the citizen has usually been given a reason, if not a fix.
  if (round >= 2 && resolution === 'unresolved' && satisfaction === 'unsatisfied') satisfaction = 'no_answer';
  return { resolution, satisfaction };
}

function replyText(rng: Rng, topic: Topic, category: CategoryInfo, type: RequestType, fix: string, resolution: Resolution): string {
  if (type === 'consultation') return `已电话联系诉求人，就其咨询的${category.name}问题作了解答：${fix}。诉求人表示清楚。`;
  // A fix that starts with its own finding (经查…, 经调解…) needs no opening of the unit's.
  const opening = fix.startsWith('经') ? '' : rng.pick(replyOpenings);
  if (resolution === 'resolved') return `${opening}${fix}。${rng.pick(replyTails)}`;
  if (resolution === 'partly') return `${opening}${fix}。${rng.pick(partlyTails)}`;
  return `${rng.pick(replyOpenings)}${rng.pick(topic.limits ?? genericLimits)}。`;
}

/** The codes of a place for routing, as locate() would name them. */
function routeFor(world: World, category: CategoryInfo, place: Place): Route {
  return route({
    category: { code: category.id, name: category.name, handling: category.handling, ...(category.department ? { department: category.department } : {}), coUnits: category.coUnits },
    location: { district: { code: place.district.id, name: place.district.name }, street: { code: place.street.id, name: place.street.name } },
    units: { byCode: (code) => { const u = world.units.get(code); return u ? { code: u.id, name: u.name, level: u.level, path: u.path } : undefined; } },
  });
}

function proposalFor(r: Route, category: CategoryInfo, place: Place, address: string | null, confidence: number, needsReview: boolean, threshold = 0.6): Proposal {
  const named = { district: { code: place.district.id, name: place.district.name }, street: { code: place.street.id, name: place.street.name }, community: { code: place.community.id, name: place.community.name } };
  return {
    category: { code: category.id, name: category.name, confidence, alternatives: [] },
    urgency: category.urgency,
    location: { ...named, confidence: Math.min(1, confidence + 0.1), evidence: address ? [`地址：${address}`] : [] },
    leadUnit: r.lead,
    coUnits: r.coUnits,
    explanation: [...r.explanation, ...(needsReview ? [`综合置信度 ${(confidence * 100).toFixed(0)}%，低于阈值 ${(threshold * 100).toFixed(0)}%，转派单中心审核`] : [])],
    needsReview,
    confidence,
    repeats: [],
    knowledge: [],
  };
}

/** A question is a consultation (when the topic has them); anything else is one of the topic's other types. */
function typeOf(rng: Rng, topic: Topic, title: string, body: string): RequestType {
  const question = title.startsWith('咨询') || /？|想问|请问|想咨询|怎么/.test(body);
  const { consultation, ...others } = topic.types;
  if (consultation && (question || Object.keys(others).length === 0)) return 'consultation';
  return Object.keys(others).length ? rng.weighted(others) : 'consultation';
}

/** The knowledge entry of the category that speaks of the same thing as the case (two shared character pairs), if any. */
function knowledgeFor(world: World, categoryId: string, title: string): KnowledgeInfo | null {
  const text = title.replace(/^咨询/, '');
  const pairs: string[] = [];
  for (let i = 0; i + 1 < text.length; i++) pairs.push(text.slice(i, i + 2));
  return (world.knowledge.get(categoryId) ?? []).find((k) => new Set(pairs.filter((p) => k.title.includes(p))).size >= 2) ?? null;
}

/** The latest 回访 answers, which survive a reopen (the assessment counts them; migration 0005 keeps them on steps). */
function lastFollowUp(events: readonly EventRow[]): Pick<OrderRow, 'lastResolution' | 'lastSatisfaction' | 'lastFollowedUpAt'> {
  const e = events.findLast((x) => x.type === 'follow_up');
  const data = (e?.data ?? {}) as { resolution?: string; satisfaction?: string };
  return { lastResolution: data.resolution ?? null, lastSatisfaction: data.satisfaction ?? null, lastFollowedUpAt: e?.at ?? null };
}

/**
 * 响应 met, as the clocks trigger of migration 0005 decides it: missed when a sign/response clock stopped late or was
 * marked overdue while running, met when all stopped in time, undecided otherwise. Written with the row, the
 * trigger finds nothing to change, so a bulk insert updates no order twice.
 */
function responseMetOf(clocks: readonly ClockRow[]): boolean | null {
  const rs = clocks.filter((c) => c.kind === 'sign' || c.kind === 'response');
  if (rs.length === 0) return null;
  if (rs.some((c) => (c.stoppedAt && (c.pausedAt ?? c.stoppedAt).getTime() > c.dueAt.getTime()) || (!c.stoppedAt && c.overdueAt))) return false;
  return rs.every((c) => c.stoppedAt) ? true : null;
}

/** Live one order from its call to where it stands at `now`. */
function liveOrder(ctx: Ctx, index: number, arrival: Arrival, ids: { orderId: string; requestId: string; requestNo: string; orderNo: string }): Bundle {
  const { world } = ctx;
  const rng = new Rng(`${ctx.seed}:order:${index}`);
  const t0 = arrival.at;
  // A repeat call about a problem already open nearby (重复诉求): same kind, same place; merged into the first.
  const dupOf = rng.chance(DUPLICATE_SHARE)
    ? ctx.recent.findLast((b) => t0 - b.order.acceptedAt.getTime() < 3 * DAY && b.place.kind !== 'none' && (b.request.type === 'complaint' || b.request.type === 'help') && !isFinal(b.stateAt(t0 + HOUR)))
    : undefined;
  const topicIndex = dupOf?.topic ?? arrival.topic;
  const topic = topics[topicIndex];
  if (!topic) throw new Error(`no topic ${topicIndex}`);
  const category = world.categories.get(topic.cat);
  if (!category) throw new Error(`category ${topic.cat} is not in the catalogue`);
  const place = dupOf?.place ?? choosePlace(rng, world, topic);
  // A repeat tells the same story in other words (its own opening and closing).
  const caseIndex = dupOf?.caseIndex ?? rng.int(topic.cases.length);
  const [caseTitle, caseBody, fix] = topic.cases[caseIndex] ?? rng.pick(topic.cases);
  const type = dupOf ? (dupOf.request.type as RequestType) : typeOf(rng, topic, caseTitle, caseBody);
  const title = fill(rng, caseTitle, place);
  const body = `${fill(rng, rng.pick(openings[type]), place)}${fill(rng, caseBody, place)}${rng.pick(closings[type])}`;
  const address = topic.place === 'none' ? null : `${place.district.name}${place.street.name}${place.community.display}`;
  const channel = rng.weighted(channelShares[type]);
  const citizenUser = world.citizen && channel === 'app' && ctx.citizenOrders.left > 0 && rng.chance(0.05) ? world.citizen : null;
  if (citizenUser) ctx.citizenOrders.left--;
  const contactName = citizenUser?.displayName ?? personName(rng);
  const contactPhone = citizenUser?.phone ?? phone(rng);
  const agent = rng.pick(world.agents);
  const dispatcher = rng.pick(world.dispatchers);
  const supervisor = rng.pick(world.supervisors);
  const byHotline = channel === 'hotline';
  const caller: Who = byHotline
    ? agent
    : { ref: { userId: citizenUser?.id ?? `seed-citizen-${index}`, role: 'citizen', unitId: null, scopePath: null }, actorId: citizenUser?.id ?? null, actorName: contactName, actorRole: 'citizen', actorUnitId: null };
  // Citizens and channels without a dispatcher are accepted by the hotline on their behalf (as acceptRequest does).
  const stepper = byHotline ? agent : systemWho;

  // The dispatcher may correct a too-coarse category on review; until then the order carries its parent.
  const review = !dupOf && rng.chance(REVIEW_SHARE);
  const coarse = review && category.parentId && rng.chance(CORRECTION_SHARE) ? world.categories.get(category.parentId) : undefined;
  const firstCategory = coarse ?? category;
  const urgency = firstCategory.urgency;
  const policy = policyForUrgency(urgency, world.policies);
  const r = routeFor(world, category, place);
  const firstRoute = coarse ? routeFor(world, coarse, place) : r;
  const confidence = review || dupOf ? rng.between(0.3, 0.58) : rng.between(0.62, 0.98);
  const proposal = proposalFor(firstRoute, firstCategory, place, address, confidence, review || !!dupOf);
  if (dupOf) proposal.repeats = [{ id: dupOf.order.id, no: dupOf.order.no, title: dupOf.order.title, similarity: Number(rng.between(0.72, 0.95).toFixed(2)), state: dupOf.stateAt(t0) }];

  const lagRng = new Rng(`${ctx.seed}:sweep:${index}`);
  const life = new OrderLife(ids.orderId, title, body, firstCategory.id, policy, world, place.district.id, ctx.now, () => lagRng.int(SWEEP_EVERY_MS), t0);
  life.record(caller, t0, 'accept', null, 'accepted', { channel, requestNo: ids.requestNo, proposal: { category: proposal.category?.code ?? null, confidence: proposal.confidence, leadUnit: proposal.leadUnit?.code ?? null } });
  const request: RequestRow = {
    id: ids.requestId,
    no: ids.requestNo,
    type,
    channel,
    title,
    body,
    urgency,
    address,
    lat: null,
    lng: null,
    districtId: place.district.id,
    streetId: place.street.id,
    communityId: place.community.id,
    contactName,
    contactPhone,
    citizenUserId: citizenUser?.id ?? null,
    createdBy: byHotline ? agent.actorId : (citizenUser?.id ?? null),
    idempotencyKey: null,
    orderId: ids.orderId,
    answer: null,
    knowledgeId: null,
    proposal,
    createdAt: new Date(t0),
  };
  const age = (ctx.now - t0) / Math.max(1, ctx.now - ctx.from);
  const plan = { rng, topic, category, type, fix, r, place, agent, dispatcher, supervisor, age, urgent: urgency === 'emergency' || urgency === 'utility' };

  const known = type === 'consultation' ? knowledgeFor(world, category.id, caseTitle) : null;
  const direct = type === 'consultation' && byHotline && rng.chance(known || (topic.types.consultation ?? 0) >= 9 ? DIRECT_ANSWER_SHARE : 0.5);
  if (direct) {
    // The agent answers in the words of the case; a matching knowledge entry is recorded as the source.
    const answer = `已向来电人解答：${fix}。来电人表示清楚。`;
    request.answer = answer;
    request.knowledgeId = known?.id ?? null;
    life.step(agent, { kind: 'close_direct', answer }, t0);
  } else if (dupOf) {
    life.step(stepper, { kind: 'send_to_review', reason: `智能派单置信度 ${confidence.toFixed(2)} 低于阈值，转人工审核` }, t0);
    const at = t0 + rng.lognormal(25 * MINUTE, 0.6);
    if (life.can(at) && !isFinal(dupOf.stateAt(at))) {
      life.step(dispatcher, { kind: 'merge', intoOrderId: dupOf.order.id }, at);
      request.orderId = dupOf.order.id;
      dupOf.events.push({ orderId: dupOf.order.id, at: new Date(at), type: 'merged_in', fromState: null, toState: null, actorId: dispatcher.actorId, actorName: dispatcher.actorName, actorRole: dispatcher.actorRole, actorUnitId: dispatcher.actorUnitId, data: { fromOrderId: ids.orderId, fromNo: ids.orderNo } });
      dupOf.order.version += 1;
      if (at > dupOf.order.updatedAt.getTime()) dupOf.order.updatedAt = new Date(at);
    } else if (life.can(at)) {
      dispatchAndHandle(ctx, life, plan, at, r, stepper);
    }
  } else if (rng.chance(INVALID_SHARE)) {
    life.step(stepper, { kind: 'send_to_review', reason: `智能派单置信度 ${confidence.toFixed(2)} 低于阈值，转人工审核` }, t0);
    life.step(dispatcher, { kind: 'mark_invalid', reason: rng.pick(['骚扰来电，无实际诉求内容', '诉求内容与事实明显不符，属恶意诉求', '重复拨打无具体诉求']) }, t0 + rng.lognormal(30 * MINUTE, 0.7));
  } else if (review || !r.lead) {
    life.step(stepper, { kind: 'send_to_review', reason: r.lead ? `智能派单置信度 ${confidence.toFixed(2)} 低于阈值，转人工审核` : '未能确定承办单位，转人工审核' }, t0);
    const at = officeHours(rng, t0 + rng.lognormal(40 * MINUTE, 0.8), plan.urgent);
    if (life.can(at)) dispatchAndHandle(ctx, life, plan, at, r, dispatcher, coarse ? category.id : undefined);
  } else {
    dispatchAndHandle(ctx, life, plan, t0, r, stepper, undefined, byHotline && rng.chance(0.25) ? undefined : '智能派单（直派）');
  }
  life.sweepTo(ctx.now);

  const state = life.state;
  const clocks = life.clockRows();
  const order: Bundle['order'] = {
    id: ids.orderId,
    no: ids.orderNo,
    requestId: ids.requestId,
    type,
    channel,
    title,
    body,
    categoryId: life.categoryId,
    urgency,
    policyCode: urgency,
    address,
    lat: null,
    lng: null,
    districtId: place.district.id,
    streetId: place.street.id,
    communityId: place.community.id,
    state,
    version: life.snap.version,
    leadUnitId: life.snap.leadUnitId ?? null,
    leadUnitPath: life.snap.leadUnitPath,
    stateBeforeReturn: life.snap.stateBeforeReturn ?? null,
    stateBeforePark: life.snap.stateBeforePark ?? null,
    extension: extensionToRow(life.snap.extension),
    reopenCount: life.snap.reopenCount,
    parkedUntil: life.snap.parkedUntil ?? null,
    mergedIntoId: life.snap.mergedIntoId ?? null,
    assessmentExcluded: life.cols.assessmentExcluded ?? false,
    exclusionReason: life.cols.exclusionReason ?? null,
    replyText: life.cols.replyText ?? null,
    repliedAt: life.cols.repliedAt ?? null,
    resolution: life.cols.resolution ?? null,
    satisfaction: life.cols.satisfaction ?? null,
    followedUpAt: life.cols.followedUpAt ?? null,
    ...lastFollowUp(life.events),
    responseMet: responseMetOf(clocks),
    acceptedAt: new Date(t0),
    dispatchedAt: life.cols.dispatchedAt ?? null,
    closedAt: life.cols.closedAt ?? null,
    replyDueAt: life.snap.replyDueAt ?? null,
    overdue: life.overdue,
    proposal,
    updatedAt: life.cols.updatedAt ?? new Date(t0),
  };
  const events = life.events;
  const bundle: Bundle = {
    request,
    order,
    units: [...life.units.values()],
    events,
    clocks,
    training: life.training,
    topic: topicIndex,
    caseIndex,
    place,
    stateAt(t: number): OrderState {
      let s: OrderState = 'accepted';
      for (const e of events) if (e.at.getTime() <= t && e.toState) s = e.toState as OrderState;
      return s;
    },
  };
  ctx.recent.push(bundle);
  return bundle;
}

type Plan = {
  rng: Rng;
  topic: Topic;
  category: CategoryInfo;
  type: RequestType;
  /** What the unit does when it solves this case. */
  fix: string;
  r: Route;
  place: Place;
  agent: Who;
  dispatcher: Who;
  supervisor: Who;
  age: number;
  urgent: boolean;
};

/** Dispatch at `at` to the routed lead (and co-units), then let the units handle it. */
function dispatchAndHandle(ctx: Ctx, life: OrderLife, p: Plan, at: number, r: Route, who: Who, categoryCode?: string, note?: string): void {
  const leadUnit = r.lead ? ctx.world.units.get(r.lead.code) : undefined;
  if (!leadUnit) return;
  const coUnits = r.coUnits.flatMap((c) => {
    const u = ctx.world.units.get(c.code);
    return u ? [{ id: u.id, path: u.path }] : [];
  });
  const ok = life.step(who, { kind: 'dispatch', leadUnitId: leadUnit.id, leadUnitPath: leadUnit.path, coUnits, ...(note ? { note } : {}) }, at, categoryCode ? { categoryCode } : {});
  if (ok) handle(ctx, life, p, 0, true);
}

/** The lead unit handles the order: sign, respond, handle (perhaps extend, return, park), reply; the hotline follows up. */
function handle(ctx: Ctx, life: OrderLife, p: Plan, round: number, mayReturn: boolean): void {
  const { rng } = p;
  const leadId = life.snap.leadUnitId;
  if (!leadId) return;
  const handler = ctx.handler(leadId);
  if (!handler) return;
  const placeQ = ctx.quality(p.place.street.id);
  const q = Math.max(0.05, Math.min(0.99, (leadId === p.place.street.id ? ctx.quality(leadId) : 0.6 * ctx.quality(leadId) + 0.4 * placeQ) - 0.08 * p.age));
  const dispatchedAt = life.t;

  // 终止: the citizen withdraws or cannot be reached.
  if (round === 0 && rng.chance(TERMINATE_SHARE)) {
    life.step(p.dispatcher, { kind: 'terminate', reason: rng.pick(['诉求人主动撤回诉求', '多次联系诉求人无法接通，无法核实诉求内容']) }, dispatchedAt + rng.lognormal(2 * DAY, 0.8));
    return;
  }

  // 退单: the unit says it is not theirs; the hotline re-dispatches or rejects the return.
  const territorial = p.category.handling !== 'sectoral';
  if (mayReturn && round === 0 && rng.chance((territorial ? 0.05 : 0.025) + 0.05 * (1 - q))) {
    const signFirst = rng.chance(0.4);
    if (signFirst && !life.step(handler, { kind: 'sign' }, dispatchedAt + rng.lognormal(30 * MINUTE, 0.8))) return;
    const back = p.r.coUnits[0]?.name ?? p.place.district.name;
    if (!life.step(handler, { kind: 'return', reason: territorial ? `经核实，该问题属于${back}职责范围，不属于本单位管辖，请改派` : '经核实，问题点位不在本单位服务范围内，请改派属地街道' }, officeHours(rng, life.t + rng.lognormal(3 * HOUR, 0.8), p.urgent))) return;
    const reviewAt = officeHours(rng, life.t + rng.lognormal(2 * HOUR, 0.8), p.urgent);
    const leadPath = life.snap.leadUnitPath;
    const alternatives = [...p.r.coUnits.map((c) => c.code), p.place.district.id, p.place.street.id].map((code) => ctx.world.units.get(code)).filter((u): u is UnitInfo => !!u && u.path !== leadPath);
    const target = alternatives[0];
    if (target && rng.chance(0.65)) {
      if (!life.step(p.dispatcher, { kind: 'approve_return', leadUnitId: target.id, leadUnitPath: target.path, coUnits: [], note: '退单理由成立，改派' }, reviewAt)) return;
      handle(ctx, life, p, round, false);
      return;
    }
    if (!life.step(p.dispatcher, { kind: 'reject_return', reason: '经审核，该问题属本单位职责，请按职责办理' }, reviewAt)) return;
  }

  // 签收 (around the clock) and the co-units' signing of their parts.
  if (life.state === 'dispatched') {
    const sign = life.running('sign');
    const window = sign ? sign.due.getTime() - life.t : 2 * HOUR;
    if (!life.step(handler, { kind: 'sign' }, life.t + dutyDelay(rng, window, q, 0.02 + 0.12 * (1 - q)))) return;
  }
  // 响应: first contact with the citizen, within the response clock.
  const response = life.running('response');
  const respondWindow = response ? response.due.getTime() - life.t : 24 * HOUR;
  const respondAt = officeHours(rng, life.t + dutyDelay(rng, respondWindow, q, 0.02 + 0.15 * (1 - q) ** 1.5), p.urgent);
  for (const co of [...life.units.values()].filter((u) => u.role === 'co' && u.active && !u.signedAt)) {
    const at = life.t + rng.between(0.1, 0.9) * Math.max(MINUTE, respondAt - life.t);
    const coWho = ctx.handler(co.unitId);
    if (coWho && rng.chance(0.8) && !life.step(coWho, { kind: 'sign' }, at)) return;
  }
  const contact = rng.pick(responseNotes);
  if (life.state === 'signed' && !life.step(handler, { kind: 'respond', contactMethod: contact.method, note: contact.note }, respondAt)) return;
  if (life.state === 'responded' && rng.chance(0.6) && !life.step(handler, { kind: 'start_handling' }, officeHours(rng, life.t + rng.lognormal(3 * HOUR, 1), p.urgent))) return;

  // 挂账: a real problem waiting for budget or planning; unparked at its plan date.
  if (round === 0 && PARKABLE.has(p.category.id) && rng.chance(0.1)) {
    const at = life.t + rng.lognormal(3 * DAY, 0.6);
    const planDate = new Date(fromShanghai(addDays(shanghaiDate(new Date(at)), 60 + rng.int(180))).getTime());
    if (!life.step(p.supervisor, { kind: 'park', planDate, reason: rng.pick(['需纳入年度改造计划，资金落实后实施', '涉及规划调整，待规划批复后实施']) }, at)) return;
    if (!life.step(handler, { kind: 'unpark', note: '计划已落实，恢复办理' }, officeHours(rng, planDate.getTime() + rng.lognormal(DAY, 0.5), false))) return;
  }

  // The reply: when it lands against the reply clock decides the unit's lateness.
  const reply = life.clocks.get('reply')?.clock;
  let replyWindow = reply ? reply.due.getTime() - life.t : 7 * DAY;
  const stuck = rng.chance(0.008 + 0.06 * (1 - q) ** 2);
  let replyAt = stuck ? life.t + replyWindow + rng.lognormal(20 * DAY, 0.7) : life.t + dutyDelay(rng, replyWindow, q, 0.02 + 0.25 * (1 - q) ** 2);

  // 延期: asked before the deadline when the work will take longer; the hotline decides.
  const extendable = p.urgent ? 0.01 : p.category.urgency === 'complex' ? 0.12 : 0.05;
  // Asked in office hours, but only while the deadline has not passed (the rules refuse a late request).
  const askAt = reply ? officeHours(rng, life.t + replyWindow * rng.between(0.4, 0.85), false) : 0;
  if (reply && !reply.pausedAt && rng.chance(extendable) && askAt < reply.due.getTime() - MINUTE) {
    const days = 3 + rng.int(8);
    if (!life.step(handler, { kind: 'request_extension', days, reason: rng.pick(['需协调产权单位及施工队伍，维修周期较长', '需多部门联合处置，申请延期办理', '需等待检测结果，申请延期']) }, askAt)) return;
    const decideAt = officeHours(rng, life.t + rng.lognormal(6 * HOUR, 0.8), false);
    const ok = rng.chance(0.85)
      ? life.step(p.dispatcher, { kind: 'approve_extension', days }, decideAt)
      : life.step(p.dispatcher, { kind: 'refuse_extension', reason: '延期理由不充分，请在原时限内办结' }, decideAt);
    if (!ok) return;
    const due = life.clocks.get('reply')?.clock.due.getTime() ?? life.t + days * DAY;
    replyWindow = due - life.t;
    replyAt = stuck ? due + rng.lognormal(10 * DAY, 0.7) : life.t + dutyDelay(rng, replyWindow, q, 0.03 + 0.2 * (1 - q) ** 2);
  }
  replyAt = officeHours(rng, replyAt, p.urgent);

  // 催办 before the deadline, 督办 after it, when the reply is slow in coming.
  const running = life.running('reply');
  if (running && replyAt > running.warnAt.getTime() && rng.chance(0.4)) {
    const at = running.warnAt.getTime() + rng.lognormal(4 * HOUR, 0.6);
    if (at < replyAt && !life.step(p.supervisor, { kind: 'urge', note: '该工单即将超期，请抓紧办理并及时反馈' }, officeHours(rng, at, false))) return;
  }
  const late = life.running('reply');
  if (late && replyAt > late.due.getTime() + 2 * HOUR && rng.chance(0.5)) {
    const at = late.due.getTime() + rng.lognormal(DAY, 0.6);
    if (at < replyAt && !life.step(p.supervisor, { kind: 'supervise', note: '工单已超期，请说明原因并尽快办结' }, officeHours(rng, at, false))) return;
  }

  let answers = outcome(rng, q, p.topic, p.type, p.category.urgency, round);
  const text = replyText(rng, p.topic, p.category, p.type, p.fix, answers.resolution);
  if (!life.step(handler, { kind: 'reply', text, resolvedClaim: answers.resolution !== 'unresolved' || rng.chance(0.3) }, replyAt)) return;

  // 核查: a grid worker of the street goes to look whether a street's fix held (GB/T 30428's 处置 → 核查).
  const grid = leadId === p.place.street.id && p.category.handling === 'territorial' && rng.chance(0.15) ? ctx.gridWorker(p.place.street.id) : null;
  if (grid) {
    const passed = answers.resolution === 'resolved' ? rng.chance(0.97) : rng.chance(0.4);
    const verify: OrderAction = passed ? { kind: 'verify_on_site', result: 'passed' } : { kind: 'verify_on_site', result: 'failed', note: rng.pick(['现场查看问题仍然存在，需承办单位继续处置', '仅做了临时处理，问题尚未根本解决']) };
    if (!life.step(grid, verify, officeHours(rng, life.t + rng.lognormal(20 * HOUR, 0.6), false))) return;
    if (!passed && answers.resolution === 'resolved') answers = { resolution: 'partly', satisfaction: rng.pick(['basic', 'unsatisfied'] as const) };
  }

  // 回访 by the hotline, then 办结; unresolved and unsatisfied reopens the order to the same unit (重办).
  const followAt = officeHours(rng, life.t + rng.lognormal(p.urgent ? 4 * HOUR : 20 * HOUR, 0.7), false);
  if (!life.step(p.agent, { kind: 'follow_up', resolution: answers.resolution, satisfaction: answers.satisfaction }, followAt)) return;
  if (life.state === 'dispatched') {
    handle(ctx, life, p, round + 1, false);
    return;
  }
  life.step(p.agent, { kind: 'close' }, officeHours(rng, life.t + rng.lognormal(3 * HOUR, 1), false));
}

// ── Writing ────────────────────────────────────────────────────────────────────────────────────────────────

/** Rows per INSERT: large enough that statements are few, small enough that one JSON parameter stays a few MB. */
const ROWS_PER_STATEMENT = 5_000;

/**
 * A multi-row INSERT of typed rows with one parameter: the rows as a JSON array, expanded by PostgreSQL with
 * json_populate_recordset. Drizzle's builder makes a placeholder per value, which at 100,000 rows costs more
 * than the database's work; JSON is parsed in C. Columns are the keys of the first row, named as the table names
 * them; a column left out takes its default (bigserial ids). Triggers fire as for any INSERT.
 */
async function insertRows<T extends PgTable>(tx: Tx, table: T, rows: readonly T['$inferInsert'][]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const keys = Object.keys(first).filter((k) => columns[k]);
  const names = keys.map((k) => columns[k]?.name ?? k);
  const list = sql.raw(names.map((n) => `"${n}"`).join(', '));
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const json = JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT).map((r) => Object.fromEntries(keys.map((k, j): [string, unknown] => [names[j] ?? k, (r as Record<string, unknown>)[k] ?? null]))));
    await tx.execute(sql`INSERT INTO ${table} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${table}, ${json}::json)`);
  }
}

async function writeBatch(db: Db, bundles: Bundle[]): Promise<{ events: number; clocks: number; units: number; training: number }> {
  const events = bundles.flatMap((b) => [...b.events].sort((x, y) => x.at.getTime() - y.at.getTime()));
  const clocks = bundles.flatMap((b) => b.clocks);
  const units = bundles.flatMap((b) => b.units);
  const training = bundles.flatMap((b) => b.training);
  await db.transaction(async (tx) => {
    await insertRows(tx, requests, bundles.map((b) => b.request));
    await insertRows(tx, orders, bundles.map((b) => b.order));
    await insertRows(tx, orderUnits, units);
    await insertRows(tx, orderEvents, events);
    await insertRows(tx, orderClocks, clocks);
    await insertRows(tx, trainingExamples, training);
  });
  return { events: events.length, clocks: clocks.length, units: units.length, training: training.length };
}

// ── The use-case ───────────────────────────────────────────────────────────────────────────────────────────

export type SeedOrdersResult = {
  orders: number;
  requests: number;
  events: number;
  clocks: number;
  orderUnits: number;
  trainingExamples: number;
  batches: number;
  ms: number;
  from: Date;
  to: Date;
  seed: string;
  existingOrders: number;
  byState: Record<string, number>;
};

/**
 * Write `orders` realistic orders accepted over the `months` before `now`, in batches of `batchSize` orders (one
 * transaction each). Adds to what the store holds; numbers come from the same sequences as intake's.
 * @example await seedOrders({ db, now: new Date(), orders: 20_000, months: 12, seed: '42' })
 */
export async function seedOrders(args: { db: Db; now: Date; orders: number; months: number; seed: string; batchSize?: number; onProgress?: (done: number, total: number) => void }): Promise<SeedOrdersResult> {
  const { db, now } = args;
  const started = Date.now();
  const world = await loadWorld(db);
  const startDate = addMonthsCivil(shanghaiDate(now), -args.months);
  const from = fromShanghai(startDate);
  // Topics whose category an administrator has disabled or removed are left out.
  const live = topics.flatMap((t, i) => (world.categories.get(t.cat)?.active ? [i] : []));
  if (live.length === 0) throw new Error('no active catalogue category matches the demo topics');
  const arrivals = planArrivals(new Rng(`${args.seed}:arrivals`), live, args.orders, from, now, world.calendar);

  const qualities = new Map<string, number>();
  const quality = (unitId: string): number => {
    let q = qualities.get(unitId);
    if (q === undefined) {
      // Each unit has its own standard of work, leaning on its district's, so rankings differ and stay put.
      const own = new Rng(`${args.seed}:quality:${unitId}`);
      const parent = world.units.get(unitId)?.parentId;
      const base = parent && parent !== '110000' && world.units.get(parent)?.level === 'district' ? quality(parent) : 0.74;
      q = Math.max(0.2, Math.min(0.97, 0.5 * base + 0.5 * 0.74 + 0.13 * own.normal()));
      qualities.set(unitId, q);
    }
    return q;
  };
  // One person per unit and role acts throughout: a real account where the unit has one, else a made-up name.
  const people = new Map<string, Who | null>();
  const person = (role: 'handler' | 'grid_worker', unitId: string): Who | null => {
    const key = `${role}:${unitId}`;
    if (people.has(key)) return people.get(key) ?? null;
    const u = world.units.get(unitId);
    const real = (role === 'handler' ? world.handlers : world.gridWorkers).get(unitId);
    const who: Who | null = u
      ? { ref: { userId: real?.id ?? `seed-${key}`, role, unitId, scopePath: u.path }, actorId: real?.id ?? null, actorName: real?.displayName ?? personName(new Rng(`${args.seed}:${key}`)), actorRole: role, actorUnitId: unitId }
      : null;
    people.set(key, who);
    return who;
  };
  const ctx: Ctx = { world, seed: args.seed, now: now.getTime(), from: from.getTime(), quality, handler: (id) => person('handler', id), gridWorker: (id) => person('grid_worker', id), recent: [], citizenOrders: { left: 30 } };

  const [existing] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM orders`);
  const batchSize = Math.max(1, args.batchSize ?? 1000);
  const result: SeedOrdersResult = { orders: 0, requests: 0, events: 0, clocks: 0, orderUnits: 0, trainingExamples: 0, batches: 0, ms: 0, from, to: now, seed: args.seed, existingOrders: existing?.n ?? 0, byState: {} };
  // While a batch commits, the next one is lived: on PostgreSQL the server writes as node plans (on PGlite, which
  // shares the thread, the two simply take turns). A failed write is kept and thrown at the next wait.
  let writing: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | null = null;
  const settle = async () => {
    await writing;
    if (failure) throw failure.error;
  };
  for (let start = 0; start < arrivals.length; start += batchSize) {
    const batch = arrivals.slice(start, start + batchSize);
    const seqs = await queryRows<{ r: string | number; o: string | number }>(db, sql`SELECT nextval('request_no_seq') AS r, nextval('order_no_seq') AS o FROM generate_series(1, ${batch.length})`);
    const rs = seqs.map((s) => Number(s.r)).sort((a, b) => a - b);
    const os = seqs.map((s) => Number(s.o)).sort((a, b) => a - b);
    ctx.recent = [];
    const bundles = batch.map((arrival, j) => {
      const at = new Date(arrival.at);
      const ids = new Rng(`${args.seed}:ids:${os[j] ?? j}`);
      return liveOrder(ctx, start + j, arrival, { orderId: ids.uuid(), requestId: ids.uuid(), requestNo: formatNo('SQ', at, rs[j] ?? 0), orderNo: formatNo('GD', at, os[j] ?? 0) });
    });
    await settle();
    writing = writeBatch(db, bundles).then(
      (written) => {
        result.orders += bundles.length;
        result.requests += bundles.length;
        result.events += written.events;
        result.clocks += written.clocks;
        result.orderUnits += written.units;
        result.trainingExamples += written.training;
        result.batches++;
        for (const b of bundles) result.byState[b.order.state] = (result.byState[b.order.state] ?? 0) + 1;
        args.onProgress?.(result.orders, arrivals.length);
      },
      (error: unknown) => {
        failure = { error };
      },
    );
  }
  await settle();
  result.ms = Date.now() - started;
  return result;
}

/** `addMonthsCivil('2026-03-31', -1)` → '2026-02-28': the same day a number of months away, clamped to the month's end. */
function addMonthsCivil(date: string, months: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const year = y + Math.floor(m / 12);
  const month = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(Number(date.slice(8, 10)), last);
  return `${year}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The catalogue codes the demo topics speak of (one topic each). */
export const seedTopicCategories: readonly string[] = topics.map((t) => t.cat);
