/** Alert-model rules: each kind fires when its condition holds and not before; state carries across batches. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { evaluateRule, expiryFiring, validateRule, type CompiledModel, type Observation, type RuleParams, type RuleState } from './rules.js';
import { bboxOf, parsePolygon, pointInPolygon, type PolygonGeometry } from './geo.js';

const T0 = Date.parse('2026-09-29T08:00:00Z');
const MIN = 60_000;
const reading = (minute: number, value: number, extra: Partial<Observation & { type: 'reading' }> = {}): Observation => ({ type: 'reading', sourceKey: 'sensor:S1', sensorId: 'S1', sensorKind: 'water_level', metric: 'level', value, ts: new Date(T0 + minute * MIN), ...extra });
const model = (params: RuleParams, extra: Partial<CompiledModel> = {}): CompiledModel => ({ id: 'm', name: 'm', kind: params.kind, sourceType: 'sensor', scope: { metric: 'level' }, params, severity: 'major', ...extra });

/** Feed batches one after another, carrying the state like the ingest does through the database. */
function run(m: CompiledModel, batches: Observation[][]): { firings: number[]; state: RuleState | null } {
  let state: RuleState | undefined;
  const firings: number[] = [];
  for (const b of batches) {
    const r = evaluateRule(m, state, b);
    state = r.state ? (JSON.parse(JSON.stringify(r.state)) as RuleState) : undefined;
    firings.push(...r.firings.map((f) => (f.at.getTime() - T0) / MIN));
  }
  return { firings, state: state ?? null };
}

describe('alert rules', () => {
  it('threshold fires on each reading above, ignores other metrics', () => {
    const m = model({ kind: 'threshold', op: 'gt', value: 80 });
    assert.deepEqual(run(m, [[reading(0, 70), reading(1, 81), reading(2, 80), reading(3, 95, { metric: 'temp' })]]).firings, [1]);
  });

  it('duration fires only after the condition held N minutes without a break, across batches', () => {
    const m = model({ kind: 'duration', op: 'gte', value: 50, minutes: 5 });
    const r = run(m, [[reading(0, 55), reading(2, 60)], [reading(4, 51), reading(5, 49)], [reading(6, 50), reading(10, 52)], [reading(11, 53)]]);
    assert.deepEqual(r.firings, [11], 'the break at minute 5 restarts the clock at 6; 6+5=11');
  });

  it('repeat fires on the N-th hit within M minutes; old hits fall out of the window', () => {
    const m = model({ kind: 'repeat', op: 'gt', value: 10, times: 3, minutes: 10 });
    assert.deepEqual(run(m, [[reading(0, 11), reading(5, 12)], [reading(11, 13)], [reading(12, 14)]]).firings, [12], 'at 11 only 5 and 11 are in the window');
  });

  it('repeat counts events for video models', () => {
    const ev = (minute: number): Observation => ({ type: 'event', sourceKey: 'video:C1', sourceType: 'video', kind: 'illegal_parking', confidence: 0.9, ts: new Date(T0 + minute * MIN) });
    const m = model({ kind: 'repeat', times: 2, minutes: 30 }, { sourceType: 'video', scope: { eventKind: 'illegal_parking' } });
    assert.deepEqual(run(m, [[ev(0)], [ev(40)], [ev(50)]]).firings, [50]);
  });

  it('rate fires when the value rises by the amount within the window', () => {
    const m = model({ kind: 'rate', direction: 'up', amount: 20, minutes: 10 });
    assert.deepEqual(run(m, [[reading(0, 10), reading(5, 20)], [reading(12, 31)], [reading(14, 41)]]).firings, [14], 'at 12 the sample of 0 is out of the window (31-20 < 20); at 14: 41-20 ≥ 20');
  });

  it('late or duplicate readings do not move a stateful rule', () => {
    const m = model({ kind: 'duration', op: 'gt', value: 0, minutes: 2 });
    const r = run(m, [[reading(0, 1), reading(3, 1)], [reading(1, -5)], [reading(3, 1)]]);
    assert.deepEqual(r.firings, [3]);
    assert.equal(r.state?.since, T0);
  });

  it('geofence fires on leaving the fence, once per crossing', () => {
    const square = parsePolygon({ type: 'Polygon', coordinates: [[[116, 40], [116.01, 40], [116.01, 40.01], [116, 40.01], [116, 40]]] });
    assert.ok('geometry' in square);
    const fence: PolygonGeometry[] = [square.geometry];
    const m = model({ kind: 'geofence', mode: 'leave', gridIds: ['g'] }, { scope: { metric: 'position' }, fence });
    const pos = (minute: number, lng: number) => reading(minute, 0, { metric: 'position', lng, lat: 40.005 });
    assert.deepEqual(run(m, [[pos(0, 116.005), pos(1, 116.02), pos(2, 116.03)], [pos(3, 116.005), pos(4, 115.9)]]).firings, [1, 4]);
  });

  it('expiry: expired or within N days fires; later does not', () => {
    const now = new Date(T0);
    assert.equal(expiryFiring({ withinDays: 30 }, { expiresAt: new Date(T0 + 40 * 86400_000), subject: '张三', holder: null }, now), null);
    assert.equal(expiryFiring({ withinDays: 30 }, { expiresAt: new Date(T0 + 10 * 86400_000), subject: '张三', holder: '老王烧烤' }, now)?.message, '老王烧烤 张三 将于 10 天内到期');
    assert.equal(expiryFiring({ withinDays: 30 }, { expiresAt: new Date(T0 - 86400_000), subject: '李四', holder: null }, now)?.detail.expired, true);
  });

  it('validation names every bad field in Chinese', () => {
    assert.throws(
      () => validateRule({ kind: 'duration', sourceType: 'sensor', scope: {}, params: { op: 'bigger', minutes: 0 } }),
      (e: unknown) => e instanceof DomainError && e.code === 'VALIDATION_FAILED' && JSON.stringify(e.fields) === JSON.stringify([
        { field: 'params.op', reason: '取值无效（可选：gt、gte、lt、lte）' },
        { field: 'params.value', reason: '必填' },
        { field: 'params.minutes', reason: '不能小于 1' },
      ]),
    );
    assert.throws(() => validateRule({ kind: 'threshold', sourceType: 'video', scope: {}, params: {} }), /视频分析模型只能是/);
    assert.throws(() => validateRule({ kind: 'expiry', sourceType: 'external', scope: {}, params: { withinDays: 30 } }), /scope\.table/);
    assert.deepEqual(validateRule({ kind: 'rate', sourceType: 'sensor', scope: {}, params: { direction: 'any', amount: 3, minutes: 5 } }), { kind: 'rate', direction: 'any', amount: 3, minutes: 5 });
  });

  it('point in polygon respects holes and multipolygons', () => {
    const g = parsePolygon({ type: 'Polygon', coordinates: [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]] });
    assert.ok('geometry' in g);
    assert.equal(pointInPolygon(1, 1, g.geometry), true);
    assert.equal(pointInPolygon(5, 5, g.geometry), false);
    assert.equal(pointInPolygon(11, 5, g.geometry), false);
    assert.deepEqual(bboxOf(g.geometry), { minLng: 0, minLat: 0, maxLng: 10, maxLat: 10 });
    assert.deepEqual(parsePolygon({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0.5]]] }), { error: '多边形的环必须闭合（首尾坐标相同）' });
  });
});
