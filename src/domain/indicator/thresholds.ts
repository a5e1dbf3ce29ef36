/** Thresholds → colour, and the checks an administrator's thresholds must pass. */
import { z } from 'zod';
import { DomainError } from '../errors.js';
import { indicatorLevels, type IndicatorDefinition, type IndicatorLevel, type ThresholdSet, type Thresholds, type ValueUnit } from './definition.js';

export const indicatorColours = ['green', 'yellow', 'red', 'none'] as const;
/** `none`: no thresholds, or no value (a rate with nothing to count). */
export type IndicatorColour = (typeof indicatorColours)[number];

/**
 * The colour of a value under thresholds.
 * @example colourOf(0.83, { direction: 'lower_is_worse', yellow: 0.9, red: 0.85 }) // → 'red'
 * @example colourOf(3, { direction: 'higher_is_worse', yellow: 2, red: 8 }) // → 'yellow'
 */
export function colourOf(value: number | null, t: Thresholds | null): IndicatorColour {
  if (value === null || !Number.isFinite(value) || !t) return 'none';
  switch (t.direction) {
    case 'higher_is_worse':
      return value >= t.red ? 'red' : value >= t.yellow ? 'yellow' : 'green';
    case 'lower_is_worse':
      return value <= t.red ? 'red' : value <= t.yellow ? 'yellow' : 'green';
  }
}

/** The thresholds that apply at a level: the level's own when set (even `null`), else the default. */
export function thresholdsAt(set: ThresholdSet, level: IndicatorLevel): Thresholds | null {
  const own = set.byLevel?.[level];
  return own === undefined ? set.default : own;
}

const num = (label: string) => z.number({ error: `${label}须为数字` }).refine(Number.isFinite, `${label}须为有限数字`);

const thresholdsSchema = z.strictObject({
  direction: z.enum(['higher_is_worse', 'lower_is_worse'], { error: '方向须为 higher_is_worse（越高越差）或 lower_is_worse（越低越差）' }),
  yellow: num('黄色阈值'),
  red: num('红色阈值'),
});

const thresholdSetSchema = z.strictObject({
  default: thresholdsSchema.nullable(),
  byLevel: z.partialRecord(z.enum(indicatorLevels, { error: '层级须为 city/district/street/community/grid' }), thresholdsSchema.nullable()).optional(),
});

type Problem = { field: string; reason: string };

function checkPair(t: Thresholds, unit: ValueUnit, at: string, out: Problem[]): void {
  if (t.direction === 'higher_is_worse' && t.red < t.yellow) out.push({ field: `${at}.red`, reason: '越高越差时红色阈值不能低于黄色阈值' });
  if (t.direction === 'lower_is_worse' && t.red > t.yellow) out.push({ field: `${at}.red`, reason: '越低越差时红色阈值不能高于黄色阈值' });
  for (const k of ['yellow', 'red'] as const) {
    if (unit === 'ratio' && (t[k] < 0 || t[k] > 1)) out.push({ field: `${at}.${k}`, reason: '比率阈值须在 0 到 1 之间' });
    if (unit === 'count' && t[k] < 0) out.push({ field: `${at}.${k}`, reason: '数量阈值不能为负数' });
  }
}

/**
 * Check thresholds an administrator sent for an indicator; refuses with every problem named (field paths such as
 * `thresholds.byLevel.street.red`).
 * @example parseThresholdSet({ default: { direction: 'lower_is_worse', yellow: 0.9, red: 0.8 } }, rateDefinition)
 */
export function parseThresholdSet(raw: unknown, def: Pick<IndicatorDefinition, 'name' | 'valueUnit'>): ThresholdSet {
  const r = thresholdSetSchema.safeParse(raw);
  const problems: Problem[] = [];
  if (!r.success) {
    for (const i of r.error.issues) problems.push({ field: ['thresholds', ...i.path.map(String)].join('.'), reason: i.message });
  } else {
    if (r.data.default) checkPair(r.data.default, def.valueUnit, 'thresholds.default', problems);
    for (const [level, t] of Object.entries(r.data.byLevel ?? {})) if (t) checkPair(t, def.valueUnit, `thresholds.byLevel.${level}`, problems);
  }
  if (problems.length > 0 || !r.success) throw new DomainError('VALIDATION_FAILED', `指标「${def.name}」的阈值有误：${problems.map((p) => `${p.field}（${p.reason}）`).join('；')}`, problems);
  const set: ThresholdSet = { default: r.data.default };
  if (r.data.byLevel) set.byLevel = r.data.byLevel;
  return set;
}
