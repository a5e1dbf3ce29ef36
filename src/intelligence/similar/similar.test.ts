import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_REPEAT_THRESHOLD, findRepeats, similarity, textSignature, words } from './similar.js';
import type { OpenOrder } from './similar.js';

// Journey 4: twelve residents, one road (阜通东大街, 望京街道), the same dead street lights, in their own words.
const lights: [string, string][] = [
  ['路灯不亮', '阜通东大街的路灯不亮了，晚上一片漆黑，走路很不安全'],
  ['阜通东大街路灯坏了', '望京阜通东大街一排路灯都坏了，已经好几天了'],
  ['路灯不亮', '阜通东大街从广顺北大街到望京街路段路灯全都不亮'],
  ['', '我要反映阜通东大街路灯不亮的问题，晚上太黑了'],
  ['路灯故障', '阜通东大街路灯故障，夜里黑灯瞎火，老人孩子出门害怕'],
  ['夜里太黑', '阜通东大街晚上路灯不亮，夜里太黑了，希望尽快修理'],
  ['', '阜通东大街的路灯连续三天没亮了'],
  ['路灯坏了没人修', '阜通东大街路灯坏了三天了，一直没人来修'],
  ['阜通东大街黑灯', '阜通东大街路段黑灯，路灯一盏都不亮'],
  ['', '阜通东大街这边路灯不亮，晚上骑车看不清路'],
  ['路灯不亮', '市民来电反映：阜通东大街路灯不亮，请相关部门尽快处理'],
  ['阜通东大街路灯', '阜通东大街的路灯不亮，已经第三天了，怎么还没修好'],
];

// Other problems on the same road.
const others: [string, string][] = [
  ['路面塌陷', '阜通东大街路面塌陷了一个大坑，车辆经过很危险'],
  ['占道经营', '阜通东大街晚上有很多小摊贩占道经营，堵塞交通'],
  ['施工噪音', '阜通东大街工地夜间施工噪音太大，吵得睡不着'],
  ['垃圾', '阜通东大街路边垃圾堆放好几天没人清运'],
  ['井盖', '阜通东大街人行道上井盖丢失了，晚上很危险'],
  ['违章停车', '阜通东大街很多车辆违章停车，占用自行车道'],
  ['红绿灯坏了', '阜通东大街和望京街路口的红绿灯坏了，交通混乱'],
  ['烧烤油烟', '阜通东大街烧烤店油烟直排，晚上太呛了'],
];

const L = lights.map(([t, b]) => textSignature(t, b));
const O = others.map(([t, b]) => textSignature(t, b));

void test('words: search-mode jieba words keep catalogue keywords whole and add their parts', () => {
  const w = words('阜通东大街路灯不亮').map((x) => x.word);
  assert.ok(w.includes('路灯不亮') && w.includes('路灯'), w.join('/'));
  assert.deepEqual(words('   '), []);
});

void test('journey 4: the twelve street-light reports match each other', () => {
  for (let i = 0; i < L.length; i++) {
    for (let j = 0; j < L.length; j++) {
      if (i === j) continue;
      const s = similarity(L[i]!, L[j]!);
      assert.ok(s >= DEFAULT_REPEAT_THRESHOLD, `#${i} vs #${j}: ${s.toFixed(3)}`);
    }
  }
});

void test('journey 4: a different problem on the same road does not match', () => {
  for (let i = 0; i < L.length; i++) {
    for (let j = 0; j < O.length; j++) {
      const s = similarity(L[i]!, O[j]!);
      assert.ok(s < DEFAULT_REPEAT_THRESHOLD, `light #${i} vs ${others[j]![0]}: ${s.toFixed(3)}`);
    }
  }
});

void test('similarity: symmetric, 1 for the same text, 0 for empty', () => {
  assert.ok(Math.abs(similarity(L[0]!, L[3]!) - similarity(L[3]!, L[0]!)) < 1e-12);
  assert.ok(similarity(L[0]!, L[0]!) > 0.999);
  assert.equal(similarity(textSignature('', ''), L[0]!), 0);
});

void test('findRepeats: same street, recent days, above the threshold, best first', () => {
  const now = new Date('2026-05-13T10:00:00+08:00');
  const day = 24 * 60 * 60 * 1000;
  const open: OpenOrder[] = [
    ...lights.slice(0, 11).map(([title, body], i) => ({
      id: `light-${i + 1}`,
      title,
      body,
      streetCode: '110105026',
      acceptedAt: new Date(now.getTime() - (3 * day * i) / 11),
    })),
    { id: 'pothole', title: others[0]![0], body: others[0]![1], streetCode: '110105026', acceptedAt: now },
    { id: 'elsewhere', title: lights[0]![0], body: lights[0]![1], streetCode: '110105001', acceptedAt: now },
    { id: 'old', title: lights[0]![0], body: lights[0]![1], streetCode: '110105026', acceptedAt: new Date(now.getTime() - 8 * day) },
    { id: 'future', title: lights[0]![0], body: lights[0]![1], streetCode: '110105026', acceptedAt: new Date(now.getTime() + day) },
  ];
  const [title, body] = lights[11]!;
  const repeats = findRepeats({ title, body, streetCode: '110105026' }, open, { now });
  assert.deepEqual(repeats.map((r) => r.id).sort(), open.slice(0, 11).map((o) => o.id).sort());
  for (let i = 1; i < repeats.length; i++) assert.ok(repeats[i - 1]!.similarity >= repeats[i]!.similarity);
  // A shorter window keeps only the recent ones; a community match counts as the same place.
  assert.ok(findRepeats({ title, body, streetCode: '110105026' }, open, { now, windowDays: 1 }).length < repeats.length);
  const byCommunity = findRepeats({ title, body, communityCode: '110105026051' }, [{ ...open[0]!, streetCode: null, communityCode: '110105026051' }], { now });
  assert.equal(byCommunity.length, 1);
  // No place, nothing to compare with.
  assert.deepEqual(findRepeats({ title, body }, open, { now }), []);
  // The best few are the head of the full list, ties included (many identical reports score the same).
  assert.deepEqual(findRepeats({ title, body, streetCode: '110105026' }, open, { now, limit: 3 }), repeats.slice(0, 3));
  const same = Array.from({ length: 40 }, (_, i) => ({ id: `same-${String(39 - i).padStart(2, '0')}`, title, body, streetCode: '110105026', acceptedAt: now }));
  assert.deepEqual(findRepeats({ title, body, streetCode: '110105026' }, same, { now, limit: 5 }).map((r) => r.id), ['same-00', 'same-01', 'same-02', 'same-03', 'same-04']);
});
