import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractPlaces, splitAreaCodes } from './places.js';

void test('splitAreaCodes: cuts the teddy2020 pseudonyms out before jieba glues them to the next name', () => {
  assert.deepEqual(splitAreaCodes('投诉A2区丽发新城附近'), { text: '投诉 丽发新城附近', codes: ['A2区'] });
  assert.deepEqual(splitAreaCodes('A市A7县春华镇').codes, ['A市', 'A7县']);
  assert.deepEqual(splitAreaCodes('没有代码').codes, []);
});

void test('extractPlaces: compounds, roads, schools and their shorter forms; areas apart', () => {
  const a = extractPlaces('投诉A2区丽发新城附近建搅拌站噪音扰民');
  assert.deepEqual(a.areas, ['A2区']);
  assert.deepEqual(a.places, ['丽发新城'], 'a lone dictionary noun (搅拌站) is a kind of place, not a place');
  const b = extractPlaces('A市万科魅力之城商铺无排烟管道，小区内到处油烟味');
  assert.ok(b.places.includes('万科魅力之城') && b.places.includes('魅力之城'), b.places.join(','));
  const c = extractPlaces('A5区劳动东路魅力之城小区一楼的夜宵摊严重污染附近的空气');
  assert.ok(c.places.includes('劳动东路') && c.places.includes('魅力之城'), c.places.join(','));
  assert.ok(!c.places.some((p) => p.startsWith('城')), 'no tail starting at a common character');
  const d = extractPlaces('位于A市A2区桂花坪街道的景蓉华苑');
  assert.ok(d.areas.includes('桂花坪街道'), d.areas.join(','));
  assert.ok(d.places.includes('景蓉华苑'));
  const e = extractPlaces('朝阳区望京西园三区楼下烧烤店油烟直排');
  assert.deepEqual(e.areas, ['朝阳区']);
  assert.ok(e.places.includes('望京西园三区'), '三区 is part of a compound, not a district');
});

void test('extractPlaces: person names, foreign places and ordinary words are not places', () => {
  assert.deepEqual(extractPlaces('A市58车贷老板跑路美国，法定代表人苏纳').places, []);
  assert.deepEqual(extractPlaces('业主小区门口的道路坑坑洼洼').places, []);
  assert.deepEqual(extractPlaces('希望政府尽快处理，网站上也发过帖子').places, []);
  assert.deepEqual(extractPlaces(''), { areas: [], places: [] });
});
