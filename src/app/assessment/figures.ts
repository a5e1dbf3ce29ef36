/**
 * Counting what the three rates are made of, in one grouped query over two index ranges: orders accepted in the
 * period (response) and orders whose latest 回访 fell in it (resolution, satisfaction), each grouped by lead unit
 * path. Units' figures are then rolled up along the paths: a street's are those of every order led by the street or
 * a unit under it. See docs/assessment.md for why each rate has its own anchor.
 */
import { sql, type SQL } from 'drizzle-orm';
import { addCounts, emptyCounts, type AssessmentCounts } from '../../domain/assessment/index.js';
import { queryRows, type DbOrTx } from '../../store/db.js';

type Row = {
  p: string;
  assessed: number;
  response_met: number;
  response_late: number;
  response_pending: number;
  excluded: number;
  followed_up: number;
  resolved: number;
  partly: number;
  unresolved: number;
  satisfied: number;
  basic: number;
  unsatisfied: number;
  no_answer: number;
};

export type Period = { from: Date; to: Date };

const likePrefix = (path: string) => `${path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The counts in the period by lead-unit path cut to its first `levels` segments (1 the city, 2 districts and city
 * departments, 3 streets and district departments), optionally only under one unit. The inner branches read only
 * the covering indexes orders_assess_accepted_idx and orders_assess_follow_up_idx (migration 0005) and group by the
 * full path; the outer query folds those few thousand paths into a few hundred units, so little leaves the database.
 */
export async function countsByLeadPath(db: DbOrTx, period: Period, opts: { under?: string; levels?: number } = {}): Promise<Map<string, AssessmentCounts>> {
  const within: SQL = opts.under ? sql` AND lead_unit_path LIKE ${likePrefix(opts.under)}` : sql``;
  const levels = Math.max(1, Math.min(opts.levels ?? 3, 9));
  const rows = await queryRows<Row>(
    db,
    sql`SELECT substring(x.p from ${`^(?:/[^/]+){1,${levels}}/`}) AS p,
        sum(x.assessed)::int AS assessed, sum(x.response_met)::int AS response_met, sum(x.response_late)::int AS response_late,
        sum(x.response_pending)::int AS response_pending, sum(x.excluded)::int AS excluded, sum(x.followed_up)::int AS followed_up,
        sum(x.resolved)::int AS resolved, sum(x.partly)::int AS partly, sum(x.unresolved)::int AS unresolved, sum(x.satisfied)::int AS satisfied,
        sum(x.basic)::int AS basic, sum(x.unsatisfied)::int AS unsatisfied, sum(x.no_answer)::int AS no_answer
      FROM (
        SELECT lead_unit_path AS p,
          count(*) FILTER (WHERE NOT assessment_excluded) AS assessed,
          count(*) FILTER (WHERE NOT assessment_excluded AND response_met) AS response_met,
          count(*) FILTER (WHERE NOT assessment_excluded AND NOT response_met) AS response_late,
          count(*) FILTER (WHERE NOT assessment_excluded AND response_met IS NULL) AS response_pending,
          count(*) FILTER (WHERE assessment_excluded) AS excluded,
          0 AS followed_up, 0 AS resolved, 0 AS partly, 0 AS unresolved, 0 AS satisfied, 0 AS basic, 0 AS unsatisfied, 0 AS no_answer
        FROM orders
        WHERE lead_unit_path IS NOT NULL AND accepted_at >= ${period.from} AND accepted_at < ${period.to}${within}
        GROUP BY lead_unit_path
        UNION ALL
        SELECT lead_unit_path, 0, 0, 0, 0, 0,
          count(*) FILTER (WHERE NOT assessment_excluded),
          count(*) FILTER (WHERE NOT assessment_excluded AND last_resolution = 'resolved'),
          count(*) FILTER (WHERE NOT assessment_excluded AND last_resolution = 'partly'),
          count(*) FILTER (WHERE NOT assessment_excluded AND last_resolution = 'unresolved'),
          count(*) FILTER (WHERE NOT assessment_excluded AND last_satisfaction = 'satisfied'),
          count(*) FILTER (WHERE NOT assessment_excluded AND last_satisfaction = 'basic'),
          count(*) FILTER (WHERE NOT assessment_excluded AND last_satisfaction = 'unsatisfied'),
          count(*) FILTER (WHERE NOT assessment_excluded AND last_satisfaction = 'no_answer')
        FROM orders
        WHERE lead_unit_path IS NOT NULL AND last_followed_up_at IS NOT NULL AND last_followed_up_at >= ${period.from} AND last_followed_up_at < ${period.to}${within}
        GROUP BY lead_unit_path
      ) x
      GROUP BY 1`,
  );
  const out = new Map<string, AssessmentCounts>();
  for (const r of rows) {
    out.set(r.p, {
      assessed: Number(r.assessed),
      responseMet: Number(r.response_met),
      responseLate: Number(r.response_late),
      responsePending: Number(r.response_pending),
      excluded: Number(r.excluded),
      followedUp: Number(r.followed_up),
      resolved: Number(r.resolved),
      partly: Number(r.partly),
      unresolved: Number(r.unresolved),
      satisfied: Number(r.satisfied),
      basic: Number(r.basic),
      unsatisfied: Number(r.unsatisfied),
      noAnswer: Number(r.no_answer),
    });
  }
  return out;
}

/** Every ancestor path of a path, itself included: `/a/b/` → `/a/`, `/a/b/`. */
function ancestorsOf(path: string): string[] {
  const segs = path.split('/').filter(Boolean);
  return segs.map((_, i) => `/${segs.slice(0, i + 1).join('/')}/`);
}

/**
 * Roll lead-unit figures up the tree: the result holds, for every path that leads or is above a leading unit, the
 * sum over its subtree. `rollUp(byPath).get('/110000/110105/')` is 朝阳区 with all its streets and departments.
 */
export function rollUp(byPath: ReadonlyMap<string, AssessmentCounts>, maxDepth = Infinity): Map<string, AssessmentCounts> {
  const out = new Map<string, AssessmentCounts>();
  for (const [path, c] of byPath) {
    ancestorsOf(path).forEach((a, depth) => {
      if (depth > maxDepth) return;
      const had = out.get(a);
      if (had) addCounts(had, c);
      else out.set(a, addCounts(emptyCounts(), c));
    });
  }
  return out;
}

/** The figures of one unit's subtree over any period, straight from the orders. */
export async function countsUnder(db: DbOrTx, period: Period, unitPath: string): Promise<AssessmentCounts> {
  // Cut at the unit's own depth: one row, the unit's subtree.
  const byPath = await countsByLeadPath(db, period, { under: unitPath, levels: unitPath.split('/').filter(Boolean).length });
  const total = emptyCounts();
  for (const c of byPath.values()) addCounts(total, c);
  return total;
}
