/**
 * The heat index (热度指数) of a group of messages about one problem: how many people raised it, how often, how
 * much the public reacted, over how many days, whether it was growing, and how long ago it was last raised.
 *
 *   heat = 10 · (ln(1 + U + 0.3 · (N − U)) + 0.3 · ln(1 + R))           people, repeats and public reaction
 *             · (1 + 0.3 · min(1, ln(1 + D) / ln(15)))                   spread: days with messages, full at 14
 *             · (1 + 0.2 · G)                                            growth, G ∈ [−1, 1]
 *             · (0.5 + 0.5 · 2^(−A / H))                                  recency, A = days since the last message
 *
 * U distinct people (a message without a user counts as its own person), N messages, R likes + dislikes (both mean
 * people cared), D distinct Beijing days with a message, G = (n₁ − n₀) / (n₁ + n₀ + 2) with n₁ the messages in the
 * last `growthDays` before the group's last message and n₀ those in the `growthDays` before that (the + 2 keeps two
 * messages on one day from counting as full growth),
 * A the age of the last message at the reference time, H the half-life in days (default 30). Logarithms keep one
 * huge number (2,000 likes on one post) from outweighing many people; a repeat by someone already counted weighs 0.3 of
 * a new person, so the same messages from more people are always hotter. Recency at most halves the heat, so a large old problem still outranks a pair of fresh messages.
 */
import { shanghaiDate } from '../../domain/deadline/index.js';

export type HeatInput = {
  /** Message times (ms since the epoch). */
  times: readonly number[];
  /** Distinct people. */
  people: number;
  /** Likes plus dislikes. */
  reactions: number;
};

export type HeatOptions = {
  /** The reference time for recency (ms since the epoch). */
  now: number;
  /** Recency half-life in days (default 30). */
  halfLifeDays?: number;
  /** Length of the two windows compared for growth, in days (default 7). */
  growthDays?: number;
};

export type HeatSignals = {
  messages: number;
  people: number;
  reactions: number;
  days: number;
  growth: number;
  ageDays: number;
};

const DAY_MS = 86_400_000;
export const DEFAULT_HALF_LIFE_DAYS = 30;
export const DEFAULT_GROWTH_DAYS = 7;

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The heat of a group and the signals it was computed from.
 *
 * @example
 * const t = Date.parse('2019-08-01T00:00:00Z');
 * heatIndex({ times: [t, t + 86_400_000], people: 2, reactions: 0 }, { now: t + 86_400_000 }).heat // → 13.56
 */
export function heatIndex(input: HeatInput, options: HeatOptions): { heat: number; signals: HeatSignals } {
  const halfLife = options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS;
  const growthMs = (options.growthDays ?? DEFAULT_GROWTH_DAYS) * DAY_MS;
  const n = input.times.length;
  const people = Math.max(0, Math.min(input.people, n));
  const reactions = Math.max(0, input.reactions);
  const last = n ? Math.max(...input.times) : options.now;
  const days = new Set(input.times.map((t) => shanghaiDate(new Date(t)))).size;
  let recent = 0;
  let before = 0;
  for (const t of input.times) {
    if (t > last - growthMs) recent++;
    else if (t > last - 2 * growthMs) before++;
  }
  const growth = (recent - before) / (recent + before + 2);
  const ageDays = Math.max(0, (options.now - last) / DAY_MS);
  const volume = Math.log1p(people + 0.3 * (n - people)) + 0.3 * Math.log1p(reactions);
  const spread = 1 + 0.3 * Math.min(1, Math.log1p(days) / Math.log(15));
  const growing = 1 + 0.2 * growth;
  const recency = 0.5 + 0.5 * 2 ** (-ageDays / halfLife);
  return {
    heat: round(10 * volume * spread * growing * recency, 2),
    signals: { messages: n, people, reactions, days, growth: round(growth, 3), ageDays: round(ageDays, 1) },
  };
}
