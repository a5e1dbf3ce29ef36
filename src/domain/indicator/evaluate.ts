/** Evaluation: a computed value at a level becomes what the screen shows — value, colour and the thresholds used. */
import type { IndicatorDefinition, IndicatorLevel, ThresholdSet, Thresholds } from './definition.js';
import { colourOf, thresholdsAt, type IndicatorColour } from './thresholds.js';

export type IndicatorReading = {
  key: string;
  name: string;
  unitLabel: string;
  valueUnit: IndicatorDefinition['valueUnit'];
  value: number | null;
  /** Parts of the value (by state, category, severity), largest first, when the formula has them. */
  breakdown: { code: string; name: string; count: number }[] | null;
  colour: IndicatorColour;
  thresholds: Thresholds | null;
};

/**
 * Colour one computed value of one unit.
 * @example evaluate(def, 'street', { value: 0.82, breakdown: null }, def.defaultThresholds).colour // → 'red'
 */
export function evaluate(def: IndicatorDefinition, level: IndicatorLevel, computed: { value: number | null; breakdown: IndicatorReading['breakdown'] }, thresholds: ThresholdSet): IndicatorReading {
  const t = thresholdsAt(thresholds, level);
  return { key: def.key, name: def.name, unitLabel: def.unitLabel, valueUnit: def.valueUnit, value: computed.value, breakdown: computed.breakdown, colour: colourOf(computed.value, t), thresholds: t };
}

/** Worst colour first, for sorting tiles and map areas: red, yellow, green, none. */
export function colourRank(c: IndicatorColour): number {
  return { red: 0, yellow: 1, green: 2, none: 3 }[c];
}
