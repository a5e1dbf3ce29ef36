// node:test's test() returns a promise the runner itself awaits; `void` says so to the floating-promise lint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allOrganizationUnits,
  cityCode,
  defaultCategories,
  districtDepartmentTemplates,
  loadDistrictShapes,
  loadDivisions,
  trainingLabels,
  unitCodeFor,
} from './index.js';
import type { CoUnitRef } from './index.js';

const divisions = loadDivisions();
const units = allOrganizationUnits(divisions.districts);

void test('divisions: 16 districts under 北京市', () => {
  assert.deepEqual(divisions.city, { code: cityCode, name: '北京市' });
  assert.equal(divisions.districts.length, 16);
  assert.ok(divisions.districts.every((d) => /^1101\d{2}$/.test(d.code)));
  // Label points must sit inside Beijing's bounding box.
  assert.ok(divisions.districts.every((d) => d.lat > 39.4 && d.lat < 41.1 && d.lng > 115.4 && d.lng < 117.5));
});

void test('divisions: 343 streets/townships, plus development zones', () => {
  const real = divisions.streets.filter((s) => s.kind === '街道' || s.kind === '乡镇' || s.kind === '地区');
  assert.equal(real.length, 343);
  assert.ok(divisions.streets.filter((s) => s.kind === '开发区').every((s) => s.code.slice(6, 7) === '4'));
  assert.ok(divisions.streets.every((s) => /^\d{9}$/.test(s.code) && s.code.startsWith(s.district)));
});

void test('divisions: 望京街道 is 110105026 under 朝阳区', () => {
  const wangjing = divisions.streets.find((s) => s.name === '望京街道');
  assert.deepEqual(wangjing, { code: '110105026', name: '望京街道', district: '110105', kind: '街道' });
  assert.equal(divisions.districts.find((d) => d.code === wangjing.district)?.name, '朝阳区');
});

void test('divisions: every street has its district and every community its street', () => {
  const districts = new Set(divisions.districts.map((d) => d.code));
  const streets = new Set(divisions.streets.map((s) => s.code));
  assert.deepEqual(divisions.streets.filter((s) => !districts.has(s.district)), []);
  assert.deepEqual(divisions.communities.filter((c) => !streets.has(c.street)), []);
  assert.ok(divisions.communities.length > 7000, `${divisions.communities.length} communities`);
  assert.ok(divisions.communities.every((c) => /^\d{12}$/.test(c.code) && c.code.startsWith(c.street)));
});

void test('divisions: the loader reads the file once', () => {
  assert.equal(loadDivisions(), divisions);
});

void test('units: codes are unique across places and organizations', () => {
  const codes = [
    divisions.city.code,
    ...divisions.districts.map((d) => d.code),
    ...divisions.streets.map((s) => s.code),
    ...divisions.communities.map((c) => c.code),
    ...units.map((u) => u.code),
  ];
  const seen = new Set<string>();
  const dupes = codes.filter((c) => (seen.has(c) ? true : (seen.add(c), false)));
  assert.deepEqual(dupes, []);
});

void test('organizations: shape and parents', () => {
  const places = new Set([divisions.city.code, ...divisions.districts.map((d) => d.code)]);
  assert.ok(units.every((u) => places.has(u.parent) && u.code === `${u.parent}-${u.abbr}`));
  assert.equal(units.filter((u) => u.level === 'centre').length, 1);
  const companies = units.filter((u) => u.level === 'company');
  assert.ok(companies.every((u) => u.service !== undefined));
  assert.deepEqual(new Set(companies.map((u) => u.service)), new Set(['water', 'power', 'gas', 'heating', 'telecom', 'drainage']));
  assert.equal(units.filter((u) => u.parent !== cityCode).length, 16 * districtDepartmentTemplates.length);
  assert.ok(units.some((u) => u.name === '朝阳区城市管理综合行政执法局' && u.code === '110105-CGZF'));
  assert.ok(units.some((u) => u.name === '北京市公安局朝阳分局' && u.code === '110105-GAJ'));
});

void test('categories: codes unique, parents exist, depth follows the code', () => {
  const codes = defaultCategories.map((c) => c.code);
  assert.equal(new Set(codes).size, codes.length);
  const byCode = new Map(defaultCategories.map((c) => [c.code, c]));
  for (const c of defaultCategories) {
    assert.match(c.code, /^[A-Z]{2}(\.\d{2}){0,2}$/, c.code);
    if (c.parent === undefined) assert.ok(!c.code.includes('.'), c.code);
    else assert.ok(byCode.has(c.parent), `${c.code}: parent ${c.parent} missing`);
  }
});

void test('categories: the seven training labels are top-level names', () => {
  const top = new Set(defaultCategories.filter((c) => c.parent === undefined).map((c) => c.name));
  for (const label of trainingLabels) assert.ok(top.has(label), label);
});

void test('categories: sizes of the tree and keywords', () => {
  const tops = defaultCategories.filter((c) => c.parent === undefined);
  for (const t of tops) {
    const children = defaultCategories.filter((c) => c.parent === t.code).length;
    assert.ok(children >= 4 && children <= 15, `${t.name} has ${children} second-level categories`);
  }
  for (const c of defaultCategories) {
    assert.ok(c.keywords.length >= 5 && c.keywords.length <= 15, `${c.code} has ${c.keywords.length} keywords`);
    assert.equal(new Set(c.keywords).size, c.keywords.length, `${c.code} repeats a keyword`);
  }
});

void test('categories: every department and co-unit resolves to a unit in every district', () => {
  const codes = new Set(units.map((u) => u.code));
  const resolves = (ref: CoUnitRef, district: string): boolean => ref.level === 'street' || codes.has(unitCodeFor(ref, district));
  for (const c of defaultCategories) {
    if (c.handling === 'sectoral') assert.ok(c.department, `${c.code} is sectoral without a department`);
    for (const d of divisions.districts) {
      if (c.department) assert.ok(resolves(c.department, d.code), `${c.code}: ${c.department.abbr} in ${d.name}`);
      for (const ref of c.coUnits ?? []) assert.ok(resolves(ref, d.code), `${c.code}: co-unit ${JSON.stringify(ref)} in ${d.name}`);
    }
  }
});

void test('categories: the real cases land where they should', () => {
  const find = (name: string) => {
    const c = defaultCategories.find((x) => x.name === name);
    assert.ok(c, name);
    return c;
  };
  assert.equal(find('餐饮油烟扰民').handling, 'territorial');
  assert.equal(find('路灯不亮').handling, 'territorial');
  assert.deepEqual(find('燃气泄漏').department, { level: 'city', abbr: 'RQ' });
  assert.equal(find('燃气泄漏').urgency, 'emergency');
  assert.ok(find('燃气泄漏').coUnits?.some((r) => r.level === 'street'));
  assert.equal(find('供暖不热与停暖').urgency, 'utility');
  assert.deepEqual(find('拖欠工资').department, { level: 'district', abbr: 'RSJ' });
  assert.deepEqual(find('地下通道与立交桥积水').department, { level: 'city', abbr: 'PS' });
  assert.equal(find('居住证办理').directAnswer, true);
});

void test('district shapes: 16 features, each with a district code and name', () => {
  const shapes = loadDistrictShapes();
  assert.equal(shapes.features.length, 16);
  const byCode = new Map(divisions.districts.map((d) => [d.code, d.name]));
  for (const f of shapes.features) assert.equal(byCode.get(f.properties.code), f.properties.name);
  assert.equal(new Set(shapes.features.map((f) => f.properties.code)).size, 16);
});
