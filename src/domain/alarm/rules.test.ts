/** Alert-model rules: each kind fires when its condition holds and not before; state carries across batches. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { evaluateRule, expiryFiring, expiryRecovery, keepsState, silenceRecovery, validateModel, validateRule, type CompiledModel, type Observation, type RecoveryParams, type RuleParams, type RuleState } from './rules.js';
import { bboxOf, parsePolygon, pointInPolygon, type PolygonGeometry } from './geo.js';

const T0 = Date.parse('2026-09-29T08:00:00Z');
const MIN = 60_000;
const reading = (minute: number, value: number, extra: Partial<Observation & { type: 'reading' }> = {}): Observation => ({ type: 'reading', sourceKey: 'sensor:S1', sensorId: 'S1', sensorKind: 'water_level', metric: 'level', value, ts: new Date(T0 + minute * MIN), ...extra });
const model = (params: RuleParams, extra: Partial<CompiledModel> = {}): CompiledModel => ({ id: 'm', name: 'm', kind: params.kind, sourceType: 'sensor', scope: { metric: 'level' }, params, severity: 'major', ...extra });

/** Feed batches one after another, carrying the state like the ingest does through the database. */
function run(m: CompiledModel, batches: Observation[][], from?: RuleState): { firings: number[]; recoveries: number[]; reasons: string[]; state: RuleState | null } {
  let state: RuleState | undefined = from;
  const firings: number[] = [];
  const recoveries: number[] = [];
  const reasons: string[] = [];
  for (const b of batches) {
    const r = evaluateRule(m, state, b);
    state = r.state ? (JSON.parse(JSON.stringify(r.state)) as RuleState) : undefined;
    firings.push(...r.firings.map((f) => (f.at.getTime() - T0) / MIN));
    recoveries.push(...r.recoveries.map((f) => (f.at.getTime() - T0) / MIN));
    reasons.push(...r.recoveries.map((f) => f.message));
  }
  return { firings, recoveries, reasons, state: state ?? null };
}
const withRecovery = (params: RuleParams, recovery: RecoveryParams, extra: Partial<CompiledModel> = {}) => model(params, { recovery, ...extra });
const fieldsOf = (f: () => unknown): unknown => {
  try {
    f();
    return null;
  } catch (e) {
    return e instanceof DomainError ? e.fields : String(e);
  }
};

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

  describe('recovery (自动解除)', () => {
    // Journey 9: raise above 20 cm held for 5 minutes; clear below 15 cm held for 5 minutes.
    const underpass = withRecovery({ kind: 'duration', op: 'gt', value: 20, minutes: 5 }, { minutes: 5, value: 15 });

    it('duration with hysteresis: fires after 5 minutes above 20, recovers after 5 minutes below 15, with the reason', () => {
      const r = run(underpass, [[reading(0, 25), reading(5, 26)], [reading(6, 14), reading(8, 12)], [reading(11, 12)]]);
      assert.deepEqual(r.firings, [5]);
      assert.deepEqual(r.recoveries, [11], 'normal since 6, 6+5=11');
      assert.deepEqual(r.reasons, ['level 回落至 12（< 15），持续 5 分钟']);
      assert.equal(r.state?.armed, false);
    });

    it('the dead band between the recovery value and the threshold neither fires nor recovers, and restarts the normal clock', () => {
      const r = run(underpass, [[reading(0, 25), reading(5, 25)], [reading(6, 10), reading(9, 17), reading(10, 10), reading(14, 10)], [reading(15, 10)]]);
      assert.deepEqual(r.firings, [5]);
      assert.deepEqual(r.recoveries, [15], '17 at minute 9 breaks the normal run; it starts again at 10');
    });

    it('a recovery comes once per episode; the next needs a firing first', () => {
      const m = withRecovery({ kind: 'threshold', op: 'gt', value: 20 }, { minutes: 0 });
      const r = run(m, [[reading(0, 25), reading(1, 10), reading(2, 9)], [reading(3, 8)], [reading(4, 30), reading(5, 5)]]);
      assert.deepEqual(r.firings, [0, 4]);
      assert.deepEqual(r.recoveries, [1, 5], 'minutes 0: the first normal reading clears');
      assert.deepEqual(r.reasons[0], 'level 回落至 10（≤ 20）', 'without a recovery value the normal side is the rule’s negation');
    });

    it('an unknown episode (state from before the model had a recovery) recovers once', () => {
      const m = withRecovery({ kind: 'duration', op: 'gte', value: 50, minutes: 5 }, { minutes: 2 });
      const r = run(m, [[reading(0, 10), reading(1, 10), reading(2, 10), reading(5, 10)]], { lastTs: T0 - MIN, since: null });
      assert.deepEqual(r.recoveries, [2]);
    });

    it('a condition met again before the normal run completes resets it (duration not yet firing counts as alarming)', () => {
      const r = run(underpass, [[reading(0, 25), reading(5, 25), reading(6, 10), reading(9, 22), reading(10, 10), reading(14, 10), reading(15, 10)]]);
      assert.deepEqual(r.firings, [5]);
      assert.deepEqual(r.recoveries, [15]);
    });

    it('lt rules recover upwards past the recovery value', () => {
      const m = withRecovery({ kind: 'threshold', op: 'lt', value: 5 }, { minutes: 1, value: 8 });
      const r = run(m, [[reading(0, 4), reading(1, 7), reading(2, 9), reading(3, 9)]]);
      assert.deepEqual(r.firings, [0]);
      assert.deepEqual(r.recoveries, [3]);
      assert.deepEqual(r.reasons, ['level 回升至 9（> 8），持续 1 分钟']);
    });

    it('late or duplicate readings move neither firing nor recovery of a threshold with recovery', () => {
      const m = withRecovery({ kind: 'threshold', op: 'gt', value: 20 }, { minutes: 2 });
      const r = run(m, [[reading(0, 25), reading(2, 10), reading(4, 10)], [reading(3, 30)], [reading(4, 10)]]);
      assert.deepEqual(r.firings, [0], 'the late 30 at minute 3 does not re-open a recovered episode');
      assert.deepEqual(r.recoveries, [4]);
    });

    it('a threshold without recovery stays stateless; with one it keeps state', () => {
      assert.equal(keepsState(model({ kind: 'threshold', op: 'gt', value: 1 })), false);
      assert.equal(keepsState(withRecovery({ kind: 'threshold', op: 'gt', value: 1 }, { minutes: 0 })), true);
      assert.equal(keepsState(model({ kind: 'event' }, { sourceType: 'video', recovery: { minutes: 10 } })), false, 'events recover by the sweep');
      assert.equal(evaluateRule(model({ kind: 'threshold', op: 'gt', value: 1 }), undefined, [reading(0, 5)]).state, null);
    });

    it('geofence: back on the non-alarming side for N minutes recovers', () => {
      const square = parsePolygon({ type: 'Polygon', coordinates: [[[116, 40], [116.01, 40], [116.01, 40.01], [116, 40.01], [116, 40]]] });
      assert.ok('geometry' in square);
      const m = withRecovery({ kind: 'geofence', mode: 'leave', gridIds: ['g'] }, { minutes: 3 }, { scope: { metric: 'position' }, fence: [square.geometry] });
      const pos = (minute: number, lng: number | null) => reading(minute, 0, { metric: 'position', lng, lat: 40.005 });
      const r = run(m, [[pos(0, 116.02), pos(1, 116.005), pos(2, null), pos(3, 116.006)], [pos(4, 116.005)]]);
      assert.deepEqual(r.firings, [0]);
      assert.deepEqual(r.recoveries, [4], 'inside since 1; a reading without a position says nothing');
      assert.deepEqual(r.reasons, ['已回到电子围栏内，持续 3 分钟']);
    });

    it('repeat, rate and event models do not recover from readings (the silence sweep does)', () => {
      const m = withRecovery({ kind: 'repeat', op: 'gt', value: 10, times: 2, minutes: 10 }, { minutes: 5 });
      assert.deepEqual(run(m, [[reading(0, 11), reading(1, 12), reading(30, 1)]]).recoveries, []);
      assert.equal(silenceRecovery({ minutes: 30 }, new Date(T0), new Date(T0 + 29 * MIN)), null);
      assert.equal(silenceRecovery({ minutes: 30 }, new Date(T0), new Date(T0 + 31 * MIN))?.message, '已 31 分钟未再触发（解除条件：30 分钟无触发）');
    });

    it('expiry: renewed past the window, without an expiry or removed recovers; still within does not', () => {
      const now = new Date(T0);
      const row = (days: number | null) => ({ expiresAt: days === null ? null : new Date(T0 + days * 86400_000), subject: '张三', holder: '老王烧烤' });
      assert.equal(expiryRecovery({ withinDays: 30 }, row(10), now), null);
      assert.equal(expiryRecovery({ withinDays: 30 }, row(-1), now), null);
      assert.equal(expiryRecovery({ withinDays: 30 }, row(365), now)?.message, '老王烧烤 张三 已续期至 2027-09-29（超出 30 天提醒期）');
      assert.equal(expiryRecovery({ withinDays: 30 }, row(null), now)?.message, '老王烧烤 张三 已无到期日');
      assert.equal(expiryRecovery({ withinDays: 30 }, null, now)?.message, '外部数据已删除');
    });

    it('validation: every bad recovery field named in Chinese, with the rule’s own problems', () => {
      const v = (kind: RuleParams['kind'], params: Record<string, unknown>, recovery: unknown, sourceType: 'sensor' | 'video' | 'external' = 'sensor') => fieldsOf(() => validateModel({ kind, sourceType, scope: { table: 't' }, params, recovery }));
      assert.deepEqual(v('duration', { op: 'gt', value: 20, minutes: 5 }, { minutes: 5, value: 25 }), [{ field: 'recovery.value', reason: '须不高于告警值 20（高于告警值告警，低于恢复值解除）' }]);
      assert.deepEqual(v('threshold', { op: 'lt', value: 5 }, { minutes: 1, value: 3 }), [{ field: 'recovery.value', reason: '须不低于告警值 5（低于告警值告警，高于恢复值解除）' }]);
      assert.deepEqual(v('threshold', { op: 'gt', value: 5 }, { value: 3 }), [{ field: 'recovery.minutes', reason: '必填' }]);
      assert.deepEqual(v('threshold', { op: 'gt', value: 5 }, { minutes: -1, extra: 1 }), [{ field: 'recovery.extra', reason: '不支持的字段（可选：minutes、value）' }, { field: 'recovery.minutes', reason: '不能小于 0' }]);
      assert.deepEqual(v('event', {}, { minutes: 0 }, 'video'), [{ field: 'recovery.minutes', reason: '不能小于 1' }]);
      assert.deepEqual(v('repeat', { times: 2, minutes: 5 }, { minutes: 30, value: 1 }, 'video'), [{ field: 'recovery.value', reason: '只有阈值、持续时长模型可设恢复值' }]);
      assert.deepEqual(v('expiry', { withinDays: 30 }, { minutes: 5 }, 'external'), [{ field: 'recovery.minutes', reason: '到期提醒在数据续期或删除后的下一次巡检即解除，只能为 0 或不填' }]);
      assert.deepEqual(v('threshold', { op: 'gt' }, 'soon'), [{ field: 'params.value', reason: '必填' }, { field: 'recovery', reason: '必须是对象，如 { "minutes": 5 }' }]);
      assert.deepEqual(v('duration', { op: 'gt', value: 20, minutes: 5 }, { minutes: 2.5 }), [{ field: 'recovery.minutes', reason: '必须是整数' }]);
      assert.deepEqual(validateModel({ kind: 'duration', sourceType: 'sensor', scope: {}, params: { op: 'gt', value: 20, minutes: 5 }, recovery: { minutes: 5, value: 15 } }).recovery, { minutes: 5, value: 15 });
      assert.deepEqual(validateModel({ kind: 'expiry', sourceType: 'external', scope: { table: 't' }, params: { withinDays: 30 }, recovery: {} }).recovery, { minutes: 0 });
      assert.equal(validateModel({ kind: 'threshold', sourceType: 'sensor', scope: {}, params: { op: 'gt', value: 1 }, recovery: null }).recovery, null);
    });
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
