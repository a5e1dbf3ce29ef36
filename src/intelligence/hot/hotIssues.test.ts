import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../config.js';
import { findHotIssues, type HotMessage } from './hotIssues.js';
import { DisjointSets, groupDocs, tfidf } from './group.js';
import { heatIndex } from './heat.js';

const DAY = 86_400_000;
const T0 = Date.parse('2019-07-01T02:00:00Z');
let seq = 0;
const msg = (title: string, body: string, day: number, user: string, extra: Partial<HotMessage> = {}): HotMessage => ({
  id: `m${++seq}`,
  title,
  body,
  time: new Date(T0 + day * DAY),
  user,
  ...extra,
});

// Night construction noise at 丽景花园, in five residents' own words over ten days.
const noiseLijing = [
  msg('丽景花园旁工地夜间施工噪音扰民', 'A3区丽景花园旁边的工地每天晚上施工到凌晨，噪音太大，孩子没法睡觉', 0, 'u1'),
  msg('投诉丽景花园附近工地深夜施工', '丽景花园小区附近工地深夜还在施工，搅拌机噪音严重扰民', 2, 'u2'),
  msg('A3区丽景花园夜间施工噪音', '丽景花园对面工地夜间施工噪音大，希望有关部门管一管', 4, 'u3'),
  msg('丽景花园工地噪音', '丽景花园旁工地晚上十一点以后还在施工，噪音吵得无法休息', 7, 'u4'),
  msg('请求处理丽景花园工地夜间施工', '丽景花园业主反映：附近工地夜间违规施工，噪音扰民严重', 10, 'u5'),
];
// The same problem at another compound: never one issue with the first.
const noiseCuihu = [
  msg('翠湖家园旁工地夜间施工噪音扰民', 'A5区翠湖家园旁边的工地每天晚上施工到凌晨，噪音太大', 1, 'u6'),
  msg('投诉翠湖家园附近工地深夜施工', '翠湖家园小区附近工地深夜还在施工，噪音严重扰民', 3, 'u7'),
  msg('翠湖家园夜间施工噪音', '翠湖家园对面工地夜间施工，噪音大，无法休息', 5, 'u8'),
];
// Another problem at the first compound.
const parkingLijing = [
  msg('丽景花园物业乱收停车费', '丽景花园物业今年起停车费每月涨到500元，没有公示收费依据', 3, 'u9'),
  msg('丽景花园停车费上涨不合理', '丽景花园物业停车费从每月300元涨到500元，业主不同意', 6, 'u10'),
];
// One person posting three times is not a hot issue; unrelated singletons are noise.
const onePerson = [
  msg('星沙大道公交站台破损', '星沙大道公交站台顶棚破损，下雨没法等车', 2, 'u11'),
  msg('星沙大道公交站台破损', '星沙大道公交站台顶棚破损，下雨天没法等车，请维修', 4, 'u11'),
  msg('星沙大道公交站台破损无人修', '星沙大道公交站台顶棚破损一直没人修', 6, 'u11'),
];
const singles = [msg('咨询公积金提取', '请问离职后公积金怎么提取', 1, 'u12'), msg('建议增加公交线路', '建议开通到高铁站的公交线路', 8, 'u13')];
const all = [...noiseLijing, ...singles, ...noiseCuihu, ...parkingLijing, ...onePerson];
const ids = (ms: readonly HotMessage[]) => ms.map((m) => m.id).sort();

void test('findHotIssues: one problem in one place is one issue; the same problem elsewhere and another problem here are not', () => {
  const issues = findHotIssues(all, { top: 0 });
  assert.deepEqual(issues.map((i) => i.ids.slice().sort()), [ids(noiseLijing), ids(noiseCuihu), ids(parkingLijing)]);
  const [first, second, third] = issues;
  assert.ok(first && second && third);
  assert.deepEqual([first.rank, second.rank, third.rank], [1, 2, 3]);
  assert.ok(first.heat > second.heat && second.heat > third.heat, issues.map((i) => i.heat).join(' > '));
  assert.equal(first.place, 'A3区丽景花园');
  assert.equal(second.place, 'A5区翠湖家园');
  assert.equal(first.from, '2019-07-01');
  assert.equal(first.to, '2019-07-11');
  assert.ok(first.keywords.includes('噪音') || first.keywords.includes('施工'), first.keywords.join(','));
  assert.ok(noiseLijing.some((m) => m.title === first.description), 'the description is a member title');
  assert.equal(first.signals.people, 5);
  assert.equal(first.signals.messages, 5);
});

void test('findHotIssues: top, minimum people, and copies of one message count once', () => {
  assert.equal(findHotIssues(all, { top: 1 }).length, 1);
  assert.ok(!findHotIssues(all, { top: 0 }).some((i) => i.ids.includes(onePerson[0]?.id ?? '')), "one person's posts are no hot issue");
  const withPeople = findHotIssues(all, { top: 0, minPeople: 1 });
  assert.ok(withPeople.some((i) => i.ids.length === 3 && i.ids.includes(onePerson[0]?.id ?? '')));
  // A merged data file holds one message twice (another id and user, likes and dislikes swapped).
  const original = noiseCuihu[0];
  assert.ok(original);
  const copy = { ...original, id: 'copy', user: 'someone-else', likes: 0, dislikes: 7 };
  const liked = { ...original, likes: 7, dislikes: 0 };
  const issue = findHotIssues([liked, copy, ...noiseCuihu.slice(1)], { top: 1 })[0];
  assert.ok(issue);
  assert.equal(issue.ids.length, 4, 'the copy is listed');
  assert.equal(issue.signals.messages, 3, 'but counted once');
  assert.equal(issue.signals.people, 3);
  assert.equal(issue.signals.reactions, 7);
});

void test('findHotIssues: messages far apart in time are not joined; the same complaint months later is, at the same place', () => {
  const early = msg('丽景花园停车费上涨不合理', '丽景花园物业停车费从每月300元涨到500元，业主不同意', 0, 'a');
  const soon = msg('丽景花园物业乱收停车费', '丽景花园物业停车费每月涨到500元，没有公示收费依据', 3, 'b');
  const months = msg('丽景花园停车费上涨不合理', '丽景花园物业停车费又从每月300元涨到500元，业主不同意', 200, 'c');
  const years = msg('丽景花园停车费上涨不合理', '丽景花园物业停车费从每月300元涨到500元，业主不同意', 800, 'd');
  const issues = findHotIssues([early, soon, months, years], { top: 0 });
  assert.deepEqual(issues.map((i) => i.ids.length), [3]);
  assert.ok(!issues[0]?.ids.includes(years.id));
  assert.deepEqual(findHotIssues([early, soon, months, years], { top: 0, longWindowDays: 0 }).map((i) => i.ids.length), [2]);
});

void test('findHotIssues: an empty input has no issues', () => {
  assert.deepEqual(findHotIssues([]), []);
});

void test('heatIndex: more people, more reaction, more days and fresher mean hotter; recency at most halves', () => {
  const now = T0 + 10 * DAY;
  const times = (n: number, spanDays: number) => Array.from({ length: n }, (_, i) => T0 + (i * spanDays * DAY) / Math.max(1, n - 1));
  const base = heatIndex({ times: times(5, 10), people: 5, reactions: 0 }, { now }).heat;
  assert.ok(heatIndex({ times: times(5, 10), people: 2, reactions: 0 }, { now }).heat < base, 'the same five posts by two people are cooler');
  assert.ok(heatIndex({ times: times(8, 10), people: 8, reactions: 0 }, { now }).heat > base);
  assert.ok(heatIndex({ times: times(5, 10), people: 5, reactions: 200 }, { now }).heat > base);
  assert.ok(heatIndex({ times: times(5, 0), people: 5, reactions: 0 }, { now }).heat < base, 'five posts in one day are less spread');
  const old = heatIndex({ times: times(5, 10), people: 5, reactions: 0 }, { now: now + 365 * DAY });
  assert.ok(old.heat < base && old.heat >= base / 2 - 0.01, `${old.heat} vs ${base}`);
  assert.equal(old.signals.ageDays, 365);
  // Growing (three in the last week after one before) versus fading (the reverse), same everything else.
  const growing = heatIndex({ times: [T0, T0 + 8 * DAY, T0 + 9 * DAY, T0 + 10 * DAY], people: 4, reactions: 0 }, { now });
  const fading = heatIndex({ times: [T0, T0 + DAY, T0 + 2 * DAY, T0 + 10 * DAY], people: 4, reactions: 0 }, { now });
  assert.ok(growing.signals.growth > 0 && fading.signals.growth < growing.signals.growth);
  assert.ok(growing.heat > fading.heat);
});

void test('group: union-find, TF-IDF and a refused join between different places', () => {
  const sets = new DisjointSets(4);
  sets.union(0, 1);
  sets.union(2, 3);
  assert.equal(sets.find(1), sets.find(0));
  assert.notEqual(sets.find(1), sets.find(2));
  const { vectors } = tfidf([{ blocks: [{ terms: ['噪音', '工地', '噪音'], weight: 1 }] }, { blocks: [{ terms: ['噪音'], weight: 1 }] }]);
  const norm = (v: { weights: Float64Array }) => Math.sqrt(v.weights.reduce((s, w) => s + w * w, 0));
  assert.ok(vectors.every((v) => Math.abs(norm(v) - 1) < 1e-9));
  // b names no place and is like both a and c; a and c name different places: b joins one of them, never both.
  const doc = (terms: string[], places: string[]) => ({
    blocks: [{ terms, weight: 1 }],
    time: T0,
    places: new Set(places),
    streets: new Set<string>(),
    districts: new Set<string>(),
    cities: new Set<string>(),
  });
  const g = groupDocs([doc(['夜间', '施工', '噪音', '甲'], ['丽景花园']), doc(['夜间', '施工', '噪音'], []), doc(['夜间', '施工', '噪音', '乙'], ['翠湖家园'])]);
  assert.equal(g.groups.length, 2);
  assert.deepEqual(g.groups.map((x) => x.length), [2, 1]);
});

const teddy = path.join(loadConfig({ JIESU_TEDDY_DIR: process.env.JIESU_TEDDY_DIR }).teddyDir, 'hot_messages.jsonl');

void test('teddy2020 hot messages: the top issues are coherent real problems, found in seconds', (t) => {
  if (!existsSync(teddy)) return t.skip(`teddy2020 data not found at ${teddy} (set JIESU_TEDDY_DIR)`);
  const rows = readFileSync(teddy, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { id: string; title: string; body: string; time: string; likes: number; dislikes: number; user: string });
  const messages = rows.map((r) => ({ ...r, time: new Date(`${r.time.replace(' ', 'T')}+08:00`) }));
  const byId = new Map(messages.map((m) => [m.id, m]));
  const t0 = performance.now();
  const issues = findHotIssues(messages, { top: 10 });
  const seconds = (performance.now() - t0) / 1000;
  assert.ok(seconds < 10, `${seconds.toFixed(1)} s`);
  assert.equal(issues.length, 10);
  const text = (id: string) => `${byId.get(id)?.title ?? ''}${byId.get(id)?.body ?? ''}`;
  // The mixing plant by 丽发新城: nearly every message of the top issue names both.
  const top = issues[0];
  assert.ok(top && top.ids.length >= 40, JSON.stringify(top?.signals));
  assert.ok(top.ids.filter((id) => /丽发/.test(text(id)) && /搅拌/.test(text(id))).length >= 0.9 * top.ids.length);
  assert.match(top.place ?? '', /丽发新城/);
  // The parking spaces forced on buyers at 伊景园滨河苑 are in the top five.
  const parking = issues.slice(0, 5).find((i) => /伊景园|滨河苑/.test(i.place ?? ''));
  assert.ok(parking && parking.ids.filter((id) => /车位/.test(text(id))).length >= 0.8 * parking.ids.length);
  // Every top-10 issue has one place or one subject: its messages share its first keyword or its place.
  for (const i of issues) {
    const anchor = (i.place ?? '').replace(/^(?:[A-Z]\d*[市区县])+/, '') || (i.keywords[0] ?? '');
    const share = i.ids.filter((id) => text(id).includes(anchor.slice(-4)) || i.keywords.slice(0, 2).some((k) => text(id).includes(k))).length / i.ids.length;
    assert.ok(share >= 0.7, `${i.rank} ${i.place} ${i.description}: ${share.toFixed(2)}`);
  }
});
