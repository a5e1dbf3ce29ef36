import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDivisions } from '../../store/reference/index.js';
import { commonWordShortNames, notPlaces, placeAliases } from './aliases.js';
import { communityForms, defaultGazetteer, shortDistrictName, shortStreetName } from './gazetteer.js';

const divisions = loadDivisions();
const g = defaultGazetteer();

void test('aliases: every code is an official division, every street lies in its district', () => {
  assert.ok(placeAliases.length >= 20 && placeAliases.length <= 60, `${placeAliases.length} alias entries`);
  for (const a of placeAliases) {
    assert.ok(g.districts.has(a.district), `${a.names[0]}: district ${a.district}`);
    for (const s of a.streets) assert.equal(g.streets.get(s)?.district, a.district, `${a.names[0]}: street ${s}`);
  }
});

void test('aliases: each surface form is used once', () => {
  const names = placeAliases.flatMap((a) => a.names.map((n) => n.toLowerCase()));
  assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), []);
});

void test('common-word short names are real short names of streets', () => {
  const shorts = new Set(divisions.streets.map((s) => shortStreetName(s.name)));
  assert.deepEqual([...commonWordShortNames].filter((n) => !shorts.has(n)), []);
});

void test('short names: districts, streets, communities and villages', () => {
  assert.equal(shortDistrictName('朝阳区'), '朝阳');
  assert.equal(shortStreetName('望京街道'), '望京');
  assert.equal(shortStreetName('南口地区'), '南口');
  assert.equal(shortStreetName('于家务回族乡'), '于家务');
  assert.equal(shortStreetName('张镇'), null);
  assert.equal(shortStreetName('北京经济技术开发区'), null);
  assert.deepEqual(communityForms('花家地西里社区居委会'), { full: ['花家地西里社区居委会', '花家地西里社区'], short: ['花家地西里'] });
  assert.deepEqual(communityForms('望京西园三区社区居委会').short, ['望京西园三区', '望京西园3区']);
  assert.deepEqual(communityForms('辛庄村委会'), { full: ['辛庄村委会', '辛庄村'], short: ['辛庄'] });
  assert.deepEqual(communityForms('万柳（集团）股份经济合作社六郎庄生活区').short, ['六郎庄']);
});

void test('lookup: the same name in two districts keeps both', () => {
  const baliZhuang = g.lookup('八里庄')?.targets.map((t) => t.street);
  assert.deepEqual(baliZhuang, ['110105015', '110108005']);
  // A district's name beats a street's of the same form (丰台区 over 丰台街道).
  assert.deepEqual(g.lookup('丰台')?.targets, [{ level: 'district', district: '110106', street: null, community: null }]);
  assert.equal(g.lookup('南口')?.weak, true);
  assert.equal(g.lookup('望京西园三区')?.targets[0]?.community, '110105026051');
});

void test('find: leftmost-longest, and words that only contain a name block it', () => {
  const text = '朝阳区望京西园三区东四环附近';
  const found = g.find(text).map((h) => text.slice(h.start, h.end));
  assert.deepEqual(found, ['朝阳区', '望京西园三区', '东四环']);
  assert.ok(notPlaces.includes('东四环'));
  assert.deepEqual(g.lookup('东四环')?.targets, []);
});

void test('districtAt: points in Beijing, and outside it', () => {
  assert.equal(g.districtAt(39.996, 116.47)?.name, '朝阳区'); // 望京
  assert.equal(g.districtAt(39.983, 116.316)?.name, '海淀区'); // 中关村
  assert.equal(g.districtAt(39.9087, 116.3975)?.name, '东城区'); // 天安门
  assert.equal(g.districtAt(31.23, 121.47), null); // 上海
  assert.equal(g.districtAt(39.95, 116.9), null); // 河北 三河, east of 通州
});
