import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allOrganizationUnits, defaultCategories, loadDivisions } from '../../store/reference/index.js';
import type { Category } from '../../store/reference/index.js';
import { locate } from '../locate/locate.js';
import { route } from './route.js';
import type { RouteLocation, UnitInfo, UnitLookup } from './route.js';

// The unit tree as the store seeds it: places by division code, departments and companies as `<parent>-<ABBR>`.
const divisions = loadDivisions();
const all = new Map<string, UnitInfo>();
all.set('110000', { code: '110000', name: '北京市', level: 'city', path: '/110000/' });
for (const d of divisions.districts) all.set(d.code, { code: d.code, name: d.name, level: 'district', path: `/110000/${d.code}/` });
for (const s of divisions.streets) all.set(s.code, { code: s.code, name: s.name, level: 'street', path: `/110000/${s.district}/${s.code}/` });
for (const o of allOrganizationUnits(divisions.districts)) {
  const parentPath = o.parent === '110000' ? '/110000/' : `/110000/${o.parent}/`;
  all.set(o.code, { code: o.code, name: o.name, level: o.level, path: `${parentPath}${o.code}/` });
}
const units: UnitLookup = { byCode: (code) => all.get(code) };

const category = (code: string): Category => {
  const c = defaultCategories.find((x) => x.code === code);
  if (!c) throw new Error(`no category ${code}`);
  return c;
};

const wangjing: RouteLocation = { district: { code: '110105', name: '朝阳区' }, street: { code: '110105026', name: '望京街道' }, confidence: 0.9 };
const chaoyangOnly: RouteLocation = { district: { code: '110105', name: '朝阳区' }, street: null };
const nowhere: RouteLocation = { district: null, street: null };

void test('territorial (journey 1): catering fumes in 望京 → 望京街道 leads, 朝阳区城管执法局 assists', () => {
  const r = route({ category: category('HB.02'), location: locate({ body: '朝阳区望京西园三区楼下烧烤店油烟直排' }), units });
  assert.deepEqual(r.lead, { code: '110105026', name: '望京街道' });
  assert.deepEqual(r.coUnits, [{ code: '110105-CGZF', name: '朝阳区城市管理综合行政执法局' }]);
  assert.equal(r.rule, 'territorial');
  assert.equal(r.needsReview, false);
  assert.ok(r.explanation[0]?.includes('餐饮油烟扰民') && r.explanation[0].includes('属地'), r.explanation.join(' | '));
  assert.ok(r.explanation.some((e) => e.includes('望京街道')));
});

void test('territorial without a street falls back to the district (兜底)', () => {
  const r = route({ category: category('CX.05.01'), location: chaoyangOnly, units });
  assert.deepEqual(r.lead, { code: '110105', name: '朝阳区' });
  assert.equal(r.rule, 'territorial-district-fallback');
  assert.ok(r.explanation.some((e) => e.includes('兜底')));
});

void test('sectoral, city level (journey 5): gas leak → 燃气集团, with the street as co-unit', () => {
  const xicheng = locate({ body: '西城区金融街街道楼道里有很大的煤气味' });
  const r = route({ category: category('GY.03.01'), location: xicheng, units });
  assert.deepEqual(r.lead, { code: '110000-RQ', name: '北京市燃气集团' });
  assert.deepEqual(r.coUnits, [{ code: '110102011', name: '金融街街道' }]);
  assert.equal(r.rule, 'sectoral-city');
});

void test('sectoral, district level → the district\'s department; unknown district → the city department', () => {
  const r = route({ category: category('LD.01'), location: wangjing, units });
  assert.deepEqual(r.lead, { code: '110105-RSJ', name: '朝阳区人力资源和社会保障局' });
  assert.deepEqual(r.coUnits, [{ code: '110105026', name: '望京街道' }]);
  assert.equal(r.rule, 'sectoral-district');

  const unknown = route({ category: category('LD.01'), location: nowhere, units });
  assert.deepEqual(unknown.lead, { code: '110000-RSJ', name: '北京市人力资源和社会保障局' });
  assert.equal(unknown.rule, 'sectoral-city-fallback');
  assert.ok(unknown.explanation.some((e) => e.includes('所在区不明')), unknown.explanation.join(' | '));
});

void test('district handling → the district itself', () => {
  const r = route({ category: category('CX.10'), location: wangjing, units });
  assert.deepEqual(r.lead, { code: '110105', name: '朝阳区' });
  assert.equal(r.rule, 'district');
  assert.deepEqual(r.coUnits, []);
});

void test('no place at all: no lead, needs review, and says why', () => {
  const r = route({ category: category('HB.02'), location: nowhere, units });
  assert.equal(r.lead, null);
  assert.equal(r.rule, 'unrouted');
  assert.equal(r.needsReview, true);
  assert.ok(r.explanation.some((e) => e.includes('人工派单')));
});

void test('an ambiguous location or a unit missing from the table needs review', () => {
  const ambiguous = route({ category: category('CX.05.01'), location: locate({ body: '八里庄街道路灯不亮' }), units });
  assert.equal(ambiguous.needsReview, true);
  assert.equal(ambiguous.lead, null);
  const missing = route({ category: category('HB.02'), location: wangjing, units: { byCode: (code) => (code === '110105026' ? undefined : all.get(code)) } });
  assert.deepEqual(missing.lead, { code: '110105', name: '朝阳区' });
  assert.equal(missing.needsReview, true);
  assert.ok(missing.explanation.some((e) => e.includes('单位表中没有')));
});

void test('every catalogue category routes to a unit for a known street', () => {
  for (const c of defaultCategories) {
    const r = route({ category: c, location: wangjing, units });
    assert.ok(r.lead, `${c.code} ${c.name}: ${r.explanation.join(' | ')}`);
    assert.equal(r.needsReview, false, `${c.code}: ${r.explanation.join(' | ')}`);
  }
});
