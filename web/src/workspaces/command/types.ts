/** What the command screen reads from `/indicators` and `/command/map`. */
export type Colour = 'green' | 'yellow' | 'red' | 'none';
export type Level = 'city' | 'district' | 'street' | 'community' | 'grid';
export const levels: readonly Level[] = ['city', 'district', 'street', 'community', 'grid'];

export type Reading = {
  key: string;
  name: string;
  unitLabel: string;
  valueUnit: 'count' | 'ratio' | 'reading';
  value: number | null;
  breakdown: { code: string; name: string; count: number }[] | null;
  colour: Colour;
  thresholds: { direction: 'higher_is_worse' | 'lower_is_worse'; yellow: number; red: number } | null;
};

export type UnitIndicators = { unit: { code: string; name: string; level: Level; levelLabel: string; parent: string | null; center: [number, number] | null }; indicators: Reading[] };
export type IndicatorPage = { at: string; source: 'stored' | 'computed'; own: string; trail: { code: string; name: string }[]; area: UnitIndicators; level: Level; units: UnitIndicators[] };

export type MapOrder = { id: string; no: string; title: string; state: string; stateLabel: string; urgency: string; overdue: boolean; lat: number; lng: number; acceptedAt: string; street: string | null; version: number };
export type MapAlarm = { id: string; no: string; title: string; severity: string; severityLabel: string; state: string; lat: number | null; lng: number | null; raisedAt: string; orderNo: string | null; version: number };
/** A cleared alarm from `/alarms?state=cleared`: cleared by itself (自动解除, the model's recovery held) or by a person. */
export type ClearedAlarm = { id: string; no: string; title: string; severity: string; severityLabel: string; clearedAt: string | null; clearance: { auto: boolean; reason: string; at: string; by: string | null } | null };
export type MapPatrol = { id: string; kind: string; description: string; address: string | null; lat: number | null; lng: number | null; reporter: string; orderNo: string | null; at: string };
export type GridCell = { id: string; name: string; geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }; center: [number, number] };
export type StreetLoad = { code: string; name: string; center: [number, number]; open: number; overdue: number };
export type CommandMap = { area: { code: string; name: string; level: Level }; orders: MapOrder[]; streets: StreetLoad[]; alarms: MapAlarm[]; patrols: MapPatrol[]; gridCells: GridCell[] };

export const colourHex: Record<Colour, string> = { green: '#23c483', yellow: '#f5b83d', red: '#f0524f', none: '#5b7aa6' };
export const severityHex: Record<string, string> = { critical: '#ff3b3b', major: '#ff8a3d', minor: '#f5d03d', warning: '#6ec1ff' };

/** A reading as the screen shows it: ratios in %, counts whole, readings with one decimal. */
export function formatReading(r: Pick<Reading, 'value' | 'valueUnit'>): string {
  if (r.value === null) return '—';
  if (r.valueUnit === 'ratio') return `${(r.value * 100).toFixed(1)}`;
  if (r.valueUnit === 'count') return Math.round(r.value).toLocaleString('zh-CN');
  return r.value.toFixed(1);
}

/** The level one below (a grid has none: it stays a grid). */
export function childLevel(level: Level): Level {
  return levels[Math.min(levels.indexOf(level) + 1, levels.length - 1)]!;
}
