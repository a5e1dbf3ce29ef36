/**
 * Reply quality (答复质量): how well a unit's reply (答复) answers a citizen's request, on four dimensions, each 0…1.
 *
 * 相关性 relevance = 0.45 · K + 0.35 · min(1, cos / 0.35) + 0.2 · P
 *   K the weighted share of the request's problem keywords (jieba TF-IDF, top 12, place names left to P) that the reply mentions, cos the cosine of
 *   the two texts' TF-IDF keyword vectors (top 40; 0.35 is what a reply on topic reaches), P the share of the places
 *   the request's title names that the reply names (P = K when the title names none).
 * 完整性 completeness = 0.5 · D + 0.35 · S + 0.15 · L
 *   D the share of the request's demands (the title, questions and sentences that ask: 希望, 要求, 能否, 为什么, ？)
 *   the reply takes up (it mentions two of the demand's three heaviest keywords), S the structure (greeting 0.1, findings 0.3, measures 0.3, result 0.2,
 *   contact 0.1), L = min(1, reply characters / 150).
 * 可解释性 explanation = 0.3 · B + 0.2 · R + 0.25 · A + 0.25 · N
 *   B a basis is cited (根据, 依据, 按照, 《…》, 规定, 条例, 政策), R a reason is given (因为, 由于, 原因, 鉴于),
 *   A = min(1, kinds of concrete action / 3) (安排, 责令, 维修, 清理, 约谈…), N = min(1, specifics / 4): dates, numbers with
 *   units, named bodies (…局, …街道, …公司).
 * 及时性 timeliness, from the working days (China's calendar, 调休 included) between request and reply:
 *   1 up to 5, falling linearly to 0.5 at 15 and to 0 at 30; unknown when either time is missing.
 *
 * A reply that only acknowledges or forwards the request (留言已收悉, 已转交相关部门) with no findings or measures
 * has its completeness and explanation capped at 0.2.
 *
 * score = 0.3 · relevance + 0.3 · completeness + 0.25 · explanation + 0.15 · timeliness (the first three reweighted
 * to sum to 1 when timeliness is unknown); a reply is weak below 0.45. Every dimension under 0.6 comes with reasons
 * in Chinese.
 */
import { TfIdf, type Keyword } from '@node-rs/jieba';
import { idf } from '@node-rs/jieba/dict.js';
import { chinaCalendar, countWorkingDays, shanghaiDate, type WorkCalendar } from '../../domain/deadline/index.js';
import { normalizeText } from '../text/features.js';
import { sharedJieba } from '../text/words.js';
import { extractPlaces } from '../hot/places.js';

export type ReplyInput = {
  title?: string | null;
  body?: string | null;
  reply: string;
  /** When the request was made and when it was answered; timeliness is unknown without both. */
  time?: Date | null;
  replyTime?: Date | null;
};

export type ReplyDimensions = {
  relevance: number;
  completeness: number;
  explanation: number;
  /** Null when the request or reply time is unknown. */
  timeliness: number | null;
};

export type ReplyScore = {
  score: number;
  dimensions: ReplyDimensions;
  /** Why weak dimensions are weak, in Chinese, most important first. */
  reasons: string[];
  weak: boolean;
  /** The evidence behind the dimensions, for the curious and for tests. */
  evidence: {
    keywords: string[];
    missedKeywords: string[];
    demands: number;
    answeredDemands: number;
    structure: string[];
    basis: string[];
    workingDays: number | null;
    boilerplate: boolean;
  };
};

export const WEAK_REPLY_SCORE = 0.45;
const WEAK_DIMENSION = 0.6;
const MAX_CHARS = 6000;
const MAX_REASONS = 8;

// Words of every request and reply: they say nothing about the problem, so they are never keywords.
const STOP_WORDS = new Set(
  (
    '您好 你好 网友 留言 来信 收悉 反映 反应 问题 情况 感谢 谢谢 支持 理解 关心 监督 工作 有关 相关 部门 单位 领导 书记 市长 县长 ' +
    '尊敬 请问 希望 要求 请求 恳请 建议 解决 处理 回复 答复 如下 现将 我们 你们 他们 本人 自己 这个 那个 这样 什么 怎么 为什么 ' +
    '如何 是否 能否 可以 已经 没有 现在 目前 一直 进行 表示 存在 问题 市民 群众 老百姓 百姓 政府 平台 栏目 问政 西地省 ' +
    '进一步 一些 一下 时候 时间 今年 去年 目前 非常 严重 影响 正常 谢谢您 特此 回复 日期 咨询 投诉 举报 人家 做主 胡书记 易书记 ' +
    '何时 何时能 多少 哪里 为何 可否 请示 看到 知道 觉得 认为'
  ).split(' '),
);
const KEYWORD_POS = ['n', 'nr', 'ns', 'nt', 'nz', 'nrt', 'vn', 'v', 'an', 'eng', 'x', 'j', 'l', 'i'];

let extractor: TfIdf | undefined;

// One TF-IDF keyword extractor per process, on jieba's general-language IDF table (~270k words, loaded once).
// Stop words are filtered here: the binding's setConfig rejects a JavaScript Set.
function keywordExtractor(): TfIdf {
  extractor ??= TfIdf.withDict(idf);
  return extractor;
}

// Where, not what: a reply answers 小区门口路灯坏了 by fixing the 路灯 without repeating the address. Places are judged by
// the title's places (P) alone, so place names (jieba's ns) and these words are not problem keywords.
const PLACE_NOUNS = new Set(['小区', '社区', '村里', '楼里', '院里', '附近', '周边']);

/** The place names (jieba's ns tag) a text mentions. */
function placeWords(text: string): Set<string> {
  const clean = normalizeText(text, MAX_CHARS).text;
  if (clean === '') return new Set(PLACE_NOUNS);
  return new Set([...PLACE_NOUNS, ...keywordExtractor().extractKeywords(sharedJieba(), clean, 40, ['ns']).map((k) => k.keyword)]);
}

/** Top TF-IDF keywords of a text (words of two or more characters, content parts of speech, no stop words). */
export function keywords(text: string, topK: number): Keyword[] {
  const clean = normalizeText(text, MAX_CHARS).text.replace(/[a-z]\d{0,2}[省市区县]/g, ' ');
  if (clean === '') return [];
  return keywordExtractor()
    .extractKeywords(sharedJieba(), clean, topK + 16, KEYWORD_POS)
    .filter((k) => k.keyword.length >= 2 && !STOP_WORDS.has(k.keyword) && !/^[\d.]+$/.test(k.keyword) && /\p{L}/u.test(k.keyword))
    .slice(0, topK);
}

function cosine(a: readonly Keyword[], b: readonly Keyword[]): number {
  const mb = new Map(b.map((k) => [k.keyword, k.weight]));
  let dot = 0;
  for (const k of a) dot += k.weight * (mb.get(k.keyword) ?? 0);
  const na = Math.sqrt(a.reduce((s, k) => s + k.weight * k.weight, 0));
  const nb = Math.sqrt(b.reduce((s, k) => s + k.weight * k.weight, 0));
  return na > 0 && nb > 0 ? dot / (na * nb) : 0;
}

/** The reply mentions a word, or its first two characters (停车费 → 停车) when it is longer: replies paraphrase. */
function mentions(reply: string, word: string): boolean {
  if (reply.includes(word)) return true;
  return word.length >= 3 && /^\p{Script=Han}+$/u.test(word) && reply.includes(word.slice(0, 2));
}

const DEMAND_CUE = /[?？]|希望|要求|请求|恳请|建议|能否|可否|是否|何时|什么|为何|怎么|如何|多少|哪些|哪里|盼|呼吁|请(?!问)/;

/** The title and the sentences of the body that ask for something. */
function demandsOf(title: string, body: string): string[] {
  // Sentences keep their end mark: a question mark is what makes many of them demands.
  const sentences = (body.match(/[^。！!？?；;\n]+[。！!？?；;\n]*/g) ?? []).map((s) => s.trim()).filter((s) => s.length >= 6);
  const asking = sentences.filter((s) => DEMAND_CUE.test(s));
  const out = title.trim() ? [title.trim(), ...asking] : asking.length ? asking : sentences.slice(0, 1);
  return out.slice(0, 6);
}

type Marker = { name: string; weight: number; pattern: RegExp };

const STRUCTURE: Marker[] = [
  { name: '称呼问候', weight: 0.1, pattern: /您好|你好|网友|市民|同志|先生|女士/ },
  { name: '调查核实', weight: 0.3, pattern: /经查|经调查|经核实|经核查|调查|核实|核查|了解到|现场|实地|查看|勘查|排查|走访/ },
  { name: '处理措施', weight: 0.3, pattern: /责成|责令|要求|安排|协调|组织|督促|整改|清理|清运|维修|修复|更换|拆除|处罚|约谈|立案|下达|制定|采取|措施|落实|部署|启动|安装|加装|调整|改造|疏通|关停|取缔|查处/ },
  { name: '处理结果', weight: 0.2, pattern: /已(?:经)?(?:完成|解决|恢复|整改|修复|清理|清运|拆除|处理|办理|落实|到位|安装|加装|调整|疏通|更换|关停|停业|取缔)|已无|不再|办结|结果|目前|现已|已于|预计|将于|计划/ },
  { name: '联系方式', weight: 0.1, pattern: /电话|联系|热线|咨询|\d{3,4}-?\d{7,8}|\d{7,}/ },
];

const BASIS = /根据|依据|按照|依照|遵照|《[^》]{2,40}》|规定|条例|办法|政策|法律|法规|文件精神|第[一二三四五六七八九十百\d]+条/g;
const REASON = /因为|由于|原因|鉴于|因此|所以|导致|造成/;
const ACTION =
  /安排|派出|派员|组织|责成|责令|约谈|清理|清运|维修|修复|更换|拆除|整改|查处|查扣|处罚|罚款|立案|下达|协调|督促|取缔|整治|开展|召开|制定|启动|落实|巡查|检测|监测|疏通|铺设|安装|补发|退还|发放|答复|告知/g;
const SPECIFIC = /\d{4}年|\d{1,2}月\d{1,2}日|\d{1,2}月(?:份|底|初|中旬)|\d+(?:\.\d+)?(?:元|万元|米|公里|户|人|天|个|平方米|吨|辆|处|栋|次|小时|%)|[\p{Script=Han}]{2,10}(?:局|委员会|街道|镇政府|社区|公司|中心|大队|中队|办公室|派出所)/gu;
const BOILERPLATE = /已收悉|已转(?:交|至|给|相关|有关)|转(?:交|至)?(?:相关|有关)(?:部门|单位)|请(?:您)?耐心等待|详见|敬请关注|已有相关单位作出回复/;

const clamp01 = (x: number): number => Math.max(0, Math.min(1, x));
const round = (x: number): number => Math.round(x * 1000) / 1000;

function matches(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`))].map((m) => m[0]);
}

/**
 * Working days between request and reply on China's calendar (the request's day does not count, the reply's does).
 *
 * @example
 * replyWorkingDays(new Date('2019-09-27T02:00:00Z'), new Date('2019-10-09T02:00:00Z')) // → 4 (09-29 调休, 09-30, 10-08, 10-09)
 */
export function replyWorkingDays(time: Date, replyTime: Date, calendar: WorkCalendar = chinaCalendar): number {
  const from = shanghaiDate(time);
  const to = shanghaiDate(replyTime);
  if (to <= from) return 0;
  // [from + 1, to]: countWorkingDays counts [from, to), so shift both by a day.
  const next = (d: string): string => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return countWorkingDays(next(from), next(to), calendar).count;
}

/** Timeliness from working days: 1 up to 5, 0.5 at 15, 0 from 30. */
export function timelinessOf(workingDays: number): number {
  if (workingDays <= 5) return 1;
  if (workingDays <= 15) return 1 - (0.5 * (workingDays - 5)) / 10;
  return clamp01(0.5 - (0.5 * (workingDays - 15)) / 15);
}

/**
 * Score a reply against its request.
 *
 * @example
 * scoreReply({ title: '小区停车费太高', body: '物业停车费每月500元，能否降低？', reply: '您的留言已收悉，已转相关部门。' })
 * // → { score: 0.005, weak: true, reasons: ['答复过短，几乎没有实质内容', '答复仅告知收悉或转办，未说明调查和处理情况',
 * //      '答复未提及诉求中的“停车费”、“小区”', '答复未回应诉求中的“停车费”问题', …], … }
 */
export function scoreReply(input: ReplyInput, options: { calendar?: WorkCalendar } = {}): ReplyScore {
  const title = normalizeText(input.title ?? '', 200).text;
  const body = normalizeText(input.body ?? '', MAX_CHARS).text;
  const reply = normalizeText(input.reply ?? '', MAX_CHARS).text;
  const reasons: string[] = [];

  // 相关性: the request's keywords and places in the reply, and the two texts' keyword cosine.
  // The title counts twice: it names the problem. The first 12 keywords must be answered; 40 make the vector.
  const requestVector = keywords(`${title}。${title}。${body}`, 40);
  const where = placeWords(`${title}。${body}`);
  const problemVector = requestVector.filter((k) => !where.has(k.keyword));
  const requestKeywords = problemVector.slice(0, 12);
  const totalWeight = requestKeywords.reduce((s, k) => s + k.weight, 0);
  const missed = requestKeywords.filter((k) => !mentions(reply, k.keyword));
  const keywordShare = totalWeight > 0 ? 1 - missed.reduce((s, k) => s + k.weight, 0) / totalWeight : 0;
  const cos = cosine(requestVector, keywords(reply, 40));
  // Places the title names: where the request is. Names found deep in a letter are too often not places.
  const places = extractPlaces(title).places.filter((p) => p.length >= 3);
  // Tails of one name (伊景园滨河苑, 滨河苑) count once: a place is named when any of its forms is.
  const longest = places.filter((p) => !places.some((q) => q !== p && q.includes(p)));
  const placeShare = longest.length ? longest.filter((p) => places.some((q) => p.includes(q) && reply.includes(q))).length / longest.length : keywordShare;
  const relevance = clamp01(0.45 * keywordShare + 0.35 * Math.min(1, cos / 0.35) + 0.2 * placeShare);

  // 完整性: each demand answered (one of its keywords mentioned), the parts of a reply, enough words.
  const demands = demandsOf(title, body);
  let answered = 0;
  const unanswered: string[] = [];
  for (const d of demands) {
    // A demand's words: the request's keywords it contains, heaviest first (no second jieba pass per sentence).
    // Answered when the reply takes up two of its three heaviest words (its only one, if it has one): 物业 alone does
    // not answer 物业乱收停车费.
    const ks = problemVector.filter((k) => d.includes(k.keyword)).slice(0, 3);
    const hits = ks.filter((k) => mentions(reply, k.keyword)).length;
    const missing = ks.find((k) => !mentions(reply, k.keyword));
    if (hits >= Math.min(2, ks.length) || !missing) answered++;
    else unanswered.push(missing.keyword);
  }
  const demandShare = demands.length ? answered / demands.length : 1;
  // The basis and action counts serve explanation below, and tell a consultation's answer from a mere receipt.
  // The message board's own name (《问政西地省》) is no basis.
  const basis = [...new Set(matches(reply, BASIS))].filter((b) => !/问政|栏目|平台/.test(b));
  // Distinct kinds of action: 清理 said five times is one action.
  const actions = new Set(matches(reply, ACTION)).size;
  // A consultation is answered by policy, not by an inquiry: a cited basis counts as the findings.
  const present = STRUCTURE.filter((m) => m.pattern.test(reply) || (m.name === '调查核实' && basis.length > 0));
  const structure = present.reduce((s, m) => s + m.weight, 0);
  const lengthShare = Math.min(1, reply.length / 150);
  const substantive = present.some((m) => m.name === '调查核实' || m.name === '处理措施') || actions > 0 || reply.length >= 200;
  const boilerplate = BOILERPLATE.test(reply) && !substantive;
  let completeness = clamp01(0.5 * demandShare + 0.35 * structure + 0.15 * lengthShare);

  // 可解释性: a basis, a reason, concrete actions, specifics.
  const specifics = matches(reply, SPECIFIC).length;
  let explanation = clamp01(0.3 * (basis.length ? 1 : 0) + 0.2 * (REASON.test(reply) ? 1 : 0) + 0.25 * Math.min(1, actions / 3) + 0.25 * Math.min(1, specifics / 4));

  if (boilerplate) {
    completeness = Math.min(completeness, 0.2);
    explanation = Math.min(explanation, 0.2);
  }

  // 及时性
  let workingDays: number | null = null;
  let timeliness: number | null = null;
  if (input.time && input.replyTime && !Number.isNaN(input.time.getTime()) && !Number.isNaN(input.replyTime.getTime())) {
    workingDays = replyWorkingDays(input.time, input.replyTime, options.calendar);
    timeliness = timelinessOf(workingDays);
  }

  const weights = timeliness === null ? [0.3 / 0.85, 0.3 / 0.85, 0.25 / 0.85, 0] : [0.3, 0.3, 0.25, 0.15];
  const score = clamp01((weights[0] ?? 0) * relevance + (weights[1] ?? 0) * completeness + (weights[2] ?? 0) * explanation + (weights[3] ?? 0) * (timeliness ?? 0));

  if (reply.length < 20) reasons.push('答复过短，几乎没有实质内容');
  if (boilerplate) reasons.push('答复仅告知收悉或转办，未说明调查和处理情况');
  if (relevance < WEAK_DIMENSION) {
    const top = missed.slice(0, 2).map((k) => `“${k.keyword}”`);
    if (top.length) reasons.push(`答复未提及诉求中的${top.join('、')}`);
    const missedPlaces = longest.filter((p) => !places.some((q) => p.includes(q) && reply.includes(q)));
    if (missedPlaces[0]) reasons.push(`答复未提及诉求所涉地点“${missedPlaces[0]}”`);
  }
  if (completeness < WEAK_DIMENSION) {
    const topics = [...new Set(unanswered)].slice(0, 3).map((k) => `“${k}”`);
    if (topics.length) reasons.push(`答复未回应诉求中的${topics.join('、')}问题`);
    const absent = STRUCTURE.filter((m) => m.weight >= 0.2 && !present.includes(m)).map((m) => m.name);
    if (absent.length) reasons.push(`答复缺少${absent.join('、')}`);
  }
  if (explanation < WEAK_DIMENSION) {
    if (!basis.length) reasons.push('未说明处理依据（法规、政策或规定）');
    if (actions === 0) reasons.push('未说明采取的具体措施');
    if (specifics < 2) reasons.push('缺少时间、数量、责任单位等具体信息');
  }
  if (timeliness !== null && workingDays !== null && timeliness < WEAK_DIMENSION) reasons.push(`答复用时 ${workingDays} 个工作日，超过 ${workingDays > 15 ? 15 : 5} 个工作日`);

  return {
    score: round(score),
    dimensions: { relevance: round(relevance), completeness: round(completeness), explanation: round(explanation), timeliness: timeliness === null ? null : round(timeliness) },
    reasons: [...new Set(reasons)].slice(0, MAX_REASONS),
    weak: score < WEAK_REPLY_SCORE,
    evidence: {
      keywords: requestKeywords.map((k) => k.keyword),
      missedKeywords: missed.map((k) => k.keyword),
      demands: demands.length,
      answeredDemands: answered,
      structure: present.map((m) => m.name),
      basis,
      workingDays,
      boilerplate,
    },
  };
}
