/**
 * 指标体系: the city-operations indicators, defined once. Each indicator has a key, a Chinese name, a unit, the kind
 * of formula that computes it, and thresholds that colour its value green, yellow or red. Pure: no I/O, no clock.
 */

/** The levels an indicator is computed for, from the top of the place tree down. */
export const indicatorLevels = ['city', 'district', 'street', 'community', 'grid'] as const;
export type IndicatorLevel = (typeof indicatorLevels)[number];

export const indicatorLevelLabels: Record<IndicatorLevel, string> = { city: '全市', district: '区', street: '街道/乡镇', community: '社区/村', grid: '网格' };

export function isIndicatorLevel(value: string): value is IndicatorLevel {
  return (indicatorLevels as readonly string[]).includes(value);
}

/** Levels at and below `level`: `levelsFrom('street')` → street, community, grid. */
export function levelsFrom(level: IndicatorLevel): IndicatorLevel[] {
  return indicatorLevels.slice(indicatorLevels.indexOf(level));
}

/** Whether `below` is `level` itself or a level under it. */
export function isAtOrBelow(level: IndicatorLevel, below: IndicatorLevel): boolean {
  return indicatorLevels.indexOf(below) >= indicatorLevels.indexOf(level);
}

/**
 * The formula kinds. Orders are counted in the area where they are located (district/street/community columns of
 * the order; a grid counts the orders dispatched to it); alarms and sensor readings in the area of their grid cell.
 */
export const formulaKinds = [
  'orders_open_by_state',
  'orders_month_by_category',
  'orders_new_today',
  'orders_overdue_open',
  'response_rate_month',
  'resolution_rate_month',
  'satisfaction_rate_month',
  'alarms_open_by_severity',
  'sensor_aggregate',
] as const;
export type FormulaKind = (typeof formulaKinds)[number];

/** `count` values are whole numbers of things; `ratio` values are fractions 0…1 (shown as %); `reading` is a sensor's own unit. */
export type ValueUnit = 'count' | 'ratio' | 'reading';

export type IndicatorDefinition = {
  key: string;
  name: string;
  /** What the number is in, for display: 件, %, or a sensor's unit (℃, mg/m³…). */
  unitLabel: string;
  valueUnit: ValueUnit;
  kind: FormulaKind;
  description: string;
  /** Where the kind needs them: the sensor metric, the aggregate and the window of a `sensor_aggregate`. */
  params?: { metric: string; aggregate: 'avg' | 'max' | 'min'; windowMinutes: number };
  /** Whether this indicator needs the city-operations tables (alarms, sensors). */
  source: 'orders' | 'cityops';
  defaultThresholds: ThresholdSet;
};

/**
 * Which way is bad: `higher_is_worse` (overdue orders, open alarms) turns yellow at `yellow` and red at `red`
 * (red ≥ yellow); `lower_is_worse` (the three rates) turns yellow at or below `yellow` and red at or below `red`
 * (red ≤ yellow).
 */
export type ThresholdDirection = 'higher_is_worse' | 'lower_is_worse';
export type Thresholds = { direction: ThresholdDirection; yellow: number; red: number };

/**
 * Thresholds of one indicator: one pair for every level, and optionally another per level (a count that is fine
 * for the city is alarming for one street). `null` means the value is shown without colour.
 */
export type ThresholdSet = { default: Thresholds | null; byLevel?: Partial<Record<IndicatorLevel, Thresholds | null>> };

const upper = (yellow: number, red: number): Thresholds => ({ direction: 'higher_is_worse', yellow, red });
const lower = (yellow: number, red: number): Thresholds => ({ direction: 'lower_is_worse', yellow, red });

/** The built-in catalogue: every indicator the platform computes, defined once. */
export const builtinIndicators: readonly IndicatorDefinition[] = [
  {
    key: 'orders.open',
    name: '在办工单',
    unitLabel: '件',
    valueUnit: 'count',
    kind: 'orders_open_by_state',
    description: '尚未办结的工单数，按状态分布',
    source: 'orders',
    defaultThresholds: { default: null },
  },
  {
    key: 'orders.month_by_category',
    name: '本月工单（按类别）',
    unitLabel: '件',
    valueUnit: 'count',
    kind: 'orders_month_by_category',
    description: '本月（北京时间自然月）受理的工单数，按一级类别分布',
    source: 'orders',
    defaultThresholds: { default: null },
  },
  {
    key: 'orders.new_today',
    name: '今日新增工单',
    unitLabel: '件',
    valueUnit: 'count',
    kind: 'orders_new_today',
    description: '今日（北京时间）受理的工单数',
    source: 'orders',
    defaultThresholds: { default: null },
  },
  {
    key: 'orders.overdue_open',
    name: '超期未办结',
    unitLabel: '件',
    valueUnit: 'count',
    kind: 'orders_overdue_open',
    description: '已超过答复时限仍未办结的工单数',
    source: 'orders',
    defaultThresholds: { default: upper(1, 5), byLevel: { city: upper(50, 200), district: upper(10, 40), street: upper(2, 8) } },
  },
  {
    key: 'rates.response',
    name: '本月响应率',
    unitLabel: '%',
    valueUnit: 'ratio',
    kind: 'response_rate_month',
    description: '本月受理、参评工单中按时签收并联系诉求人的比例（口径见考核文档）',
    source: 'orders',
    defaultThresholds: { default: lower(0.95, 0.85) },
  },
  {
    key: 'rates.resolution',
    name: '本月解决率',
    unitLabel: '%',
    valueUnit: 'ratio',
    kind: 'resolution_rate_month',
    description: '本月回访的工单中诉求人表示已解决的比例',
    source: 'orders',
    defaultThresholds: { default: lower(0.9, 0.8) },
  },
  {
    key: 'rates.satisfaction',
    name: '本月满意率',
    unitLabel: '%',
    valueUnit: 'ratio',
    kind: 'satisfaction_rate_month',
    description: '本月回访的工单中满意（基本满意按考核规则折算）的比例',
    source: 'orders',
    defaultThresholds: { default: lower(0.9, 0.8) },
  },
  {
    key: 'alarms.open',
    name: '未处置告警',
    unitLabel: '条',
    valueUnit: 'count',
    kind: 'alarms_open_by_severity',
    description: '尚未消除的告警数，按级别（特别严重/严重/一般/提示）分布',
    source: 'cityops',
    defaultThresholds: { default: upper(1, 3), byLevel: { city: upper(20, 60), district: upper(5, 15) } },
  },
  {
    key: 'sensors.water_level_max',
    name: '最高积水水位',
    unitLabel: 'm',
    valueUnit: 'reading',
    kind: 'sensor_aggregate',
    // Metric names are those 一网统管's sensors report (`level` of water-level sensors, `db` of noise sensors).
    params: { metric: 'level', aggregate: 'max', windowMinutes: 60 },
    description: '近 60 分钟内水位传感器（指标 level，米）最新读数的最大值',
    source: 'cityops',
    defaultThresholds: { default: upper(1, 1.5) },
  },
  {
    key: 'sensors.noise_avg',
    name: '平均噪声',
    unitLabel: 'dB',
    valueUnit: 'reading',
    kind: 'sensor_aggregate',
    params: { metric: 'db', aggregate: 'avg', windowMinutes: 60 },
    description: '近 60 分钟内噪声传感器（指标 db，分贝）最新读数的平均值',
    source: 'cityops',
    defaultThresholds: { default: upper(60, 70) },
  },
];

/** The built-in definition of a key, or undefined. */
export function indicatorByKey(key: string, catalogue: readonly IndicatorDefinition[] = builtinIndicators): IndicatorDefinition | undefined {
  return catalogue.find((d) => d.key === key);
}
