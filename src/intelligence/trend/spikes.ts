/**
 * 未诉先办, first part: spikes caught as they start. A series of daily counts (one problem class in one place) is a
 * spike today when today's count is well above what the previous weeks make likely: at least `minCount` requests,
 * at least `minRatio` times the daily mean, and `minZ` deviations above it. The deviation is that of the baseline
 * days, never below a Poisson floor (√mean, and 1), so a quiet street with one call a week is not a spike at two.
 */

export type SpikeOptions = { minCount: number; minRatio: number; minZ: number };
export const defaultSpikeOptions: SpikeOptions = { minCount: 5, minRatio: 2, minZ: 3 };

export type Spike = { key: string; today: number; expected: number; z: number; ratio: number | null };

/**
 * detectSpikes(new Map([['CX.03|110105026', [0, 1, 0, …, 9]]])) → [{ key, today: 9, expected: 0.25, z: 8.75, … }]
 * Each series runs oldest to newest; its last value is today. Spikes come strongest first.
 */
export function detectSpikes(series: ReadonlyMap<string, readonly number[]>, options: Partial<SpikeOptions> = {}): Spike[] {
  const o = { ...defaultSpikeOptions, ...options };
  const spikes: Spike[] = [];
  for (const [key, counts] of series) {
    const today = counts.at(-1) ?? 0;
    const base = counts.slice(0, -1);
    if (today < o.minCount || base.length === 0) continue;
    const mean = base.reduce((a, b) => a + b, 0) / base.length;
    const variance = base.reduce((a, b) => a + (b - mean) ** 2, 0) / base.length;
    const sd = Math.max(Math.sqrt(variance), Math.sqrt(mean), 1);
    const z = (today - mean) / sd;
    if (z < o.minZ || today < o.minRatio * mean) continue;
    spikes.push({ key, today, expected: round(mean), z: round(z), ratio: mean > 0 ? round(today / mean) : null });
  }
  return spikes.sort((a, b) => b.z - a.z || b.today - a.today);
}

const round = (x: number) => Math.round(x * 100) / 100;
