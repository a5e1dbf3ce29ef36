/**
 * Find knowledge-base answers for what a caller asks (agents search while on the call).
 *
 * The query is cut into jieba search terms, the same way entries are indexed, and any term may match
 * (`to_tsvector('simple', terms) @@ term₁ | term₂ …`, served by the GIN index). Ranking puts what the entry is
 * about above what its answer mentions: 居住证 appears in the answers on 积分落户 and 入学 too, but only one
 * title names it. The score adds the share of the query's term weight found in the title (weight TITLE) and in a
 * keyword (KEYWORDS), a term weighing its length times its rarity among titles, and ts_rank over the whole entry
 * (TEXT). Very short queries, and queries whose terms match nothing, also look for the query in titles and keywords
 * as a substring or by trigram similarity (parts of words and typos the word index cannot see).
 */
import { sql, type SQL } from 'drizzle-orm';
import { searchTerms } from '../../intelligence/text/words.js';
import { normalizeText } from '../../intelligence/text/features.js';
import { queryRows, type DbOrTx } from '../../store/db.js';
import type { Named } from './knowledgeRecord.js';

export type KnowledgeHit = {
  id: string;
  title: string;
  answer: string;
  category: Named;
  version: number;
  active: boolean;
  /** 0…1, higher is better; comparable within one search only. */
  score: number;
};

const TITLE = 0.6;
const KEYWORDS = 0.25;
const TEXT = 0.15;
// ts_rank with normalization 1 (divided by 1 + log length) lands around 0.01–0.05 for a good match here.
const TEXT_SCALE = 20;
/** Queries up to this many characters also match titles by substring and trigram (e.g. "社保", "护照"). */
const SHORT_QUERY_CHARS = 4;
const MAX_TERMS = 32;
const MAX_QUERY_CHARS = 200;
// Trigram word similarity from which a title counts as a near match; catches slips in longer phrases, not a
// one-character typo in a three-character word (居往证 shares no trigram with 居住证).
const SIMILARITY = 0.3;
const FALLBACK_WEIGHT = 0.5;
// Every answer here is about Beijing: 北京户口怎么办 must rank by 户口, not by titles that happen to say 北京.
const CITY_WORDS: ReadonlySet<string> = new Set(['北京', '北京市', '本市', '京市']);

type HitRow = { id: string; title: string; answer: string; category_id: string | null; category_name: string | null; version: number; active: boolean; score: number | string };

const hitOf = (r: HitRow): KnowledgeHit => ({
  id: r.id,
  title: r.title,
  answer: r.answer,
  category: r.category_id ? { code: r.category_id, name: r.category_name ?? r.category_id } : null,
  version: Number(r.version),
  active: r.active,
  score: Math.round(Math.min(1, Number(r.score)) * 10_000) / 10_000,
});

/**
 * Search active entries (with `includeInactive`, retired ones too), best first; an empty query lists the most
 * recently edited entries with score 0.
 *
 * @example
 * await searchKnowledge({ db, q: '居住证怎么办理？', limit: 5 }) // → [{ title: '北京市居住证怎么办理？', score: 0.84, … }, …]
 */
export async function searchKnowledge(args: { db: DbOrTx; q: string; limit: number; includeInactive?: boolean }): Promise<KnowledgeHit[]> {
  const { db, limit } = args;
  const activeOnly = args.includeInactive ? sql`TRUE` : sql`k.active`;
  const q = normalizeText(args.q, MAX_QUERY_CHARS).text;
  if (q === '') {
    const rows = await queryRows<HitRow>(
      db,
      sql`SELECT k.id, k.title, k.answer, k.category_id, c.name AS category_name, k.version, k.active, 0 AS score
          FROM knowledge k LEFT JOIN categories c ON c.id = k.category_id
          WHERE ${activeOnly} ORDER BY k.updated_at DESC, k.id LIMIT ${limit}`,
    );
    return rows.map(hitOf);
  }
  const terms = [...new Set(searchTerms(q))].filter((t) => !CITY_WORDS.has(t)).slice(0, MAX_TERMS);
  // Only function words and punctuation (怎么办？): nothing to search by, and any title would match as well as another.
  if (terms.length === 0) return [];
  const hits = (await queryRows<HitRow>(db, wordQuery(terms, activeOnly, limit))).map(hitOf);
  const short = [...q].length <= SHORT_QUERY_CHARS;
  if (hits.length >= limit || (!short && hits.length > 0)) return hits;
  const seen = new Set(hits.map((h) => h.id));
  const more = (await queryRows<HitRow>(db, titleQuery(q, activeOnly, limit))).map(hitOf).filter((h) => !seen.has(h.id));
  return [...hits, ...more].slice(0, limit);
}

function wordQuery(terms: string[], activeOnly: SQL, limit: number): SQL {
  // plainto_tsquery per term, OR-ed: no tsquery syntax is ever built from user text.
  const query = sql.join(
    terms.map((t) => sql`plainto_tsquery('simple', ${t})`),
    sql` || `,
  );
  // A single character (公 of 公租房, 上 of 上小学) occurs in many titles by chance; it counts only when alone.
  const longer = terms.filter((t) => [...t].length > 1);
  const cover = longer.length > 0 ? longer : terms;
  return sql`
    WITH input AS (
      SELECT ${query} AS query
    ), weights AS (
      -- A term weighs its length times its rarity among titles (办理 is in half of them, 居住证 in one).
      SELECT w.term, char_length(w.term) * (1 + ln((n.entries + 1)::float8 / (1 + (
          SELECT count(*) FROM knowledge k2 WHERE k2.active AND strpos(lower(k2.title), w.term) > 0)))) AS weight
      FROM jsonb_array_elements_text(${JSON.stringify(cover)}::jsonb) AS w(term)
      CROSS JOIN (SELECT count(*) AS entries FROM knowledge WHERE active) n
    ), total AS (
      SELECT sum(weight) AS weight FROM weights
    ), scored AS (
      SELECT k.id, k.title, k.answer, k.category_id, k.version, k.active, k.updated_at,
        ts_rank(to_tsvector('simple', k.terms), i.query, 1) AS text_rank,
        (SELECT coalesce(sum(w.weight), 0) FROM weights w WHERE strpos(lower(k.title), w.term) > 0) / tot.weight AS title_cover,
        (SELECT coalesce(sum(w.weight), 0) FROM weights w
          WHERE EXISTS (SELECT 1 FROM jsonb_array_elements_text(k.keywords) kw WHERE strpos(lower(kw), w.term) > 0)) / tot.weight AS keyword_cover
      FROM knowledge k CROSS JOIN input i CROSS JOIN total tot
      WHERE ${activeOnly} AND to_tsvector('simple', k.terms) @@ i.query
    )
    SELECT s.id, s.title, s.answer, s.category_id, c.name AS category_name, s.version, s.active,
      ${TITLE}::float8 * s.title_cover + ${KEYWORDS}::float8 * s.keyword_cover + ${TEXT}::float8 * least(1, s.text_rank * ${TEXT_SCALE}::float8) AS score
    FROM scored s LEFT JOIN categories c ON c.id = s.category_id
    ORDER BY score DESC, s.updated_at DESC, s.id
    LIMIT ${limit}`;
}

function titleQuery(q: string, activeOnly: SQL, limit: number): SQL {
  return sql`
    SELECT k.id, k.title, k.answer, k.category_id, c.name AS category_name, k.version, k.active,
      ${FALLBACK_WEIGHT}::float8 * greatest(
        CASE WHEN strpos(lower(k.title), ${q}) > 0 THEN 1 ELSE 0 END,
        CASE WHEN EXISTS (SELECT 1 FROM jsonb_array_elements_text(k.keywords) kw WHERE strpos(lower(kw), ${q}) > 0) THEN 0.8 ELSE 0 END,
        word_similarity(${q}, k.title)
      ) AS score
    FROM knowledge k LEFT JOIN categories c ON c.id = k.category_id
    WHERE ${activeOnly} AND (
      strpos(lower(k.title), ${q}) > 0
      OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(k.keywords) kw WHERE strpos(lower(kw), ${q}) > 0)
      OR word_similarity(${q}, k.title) >= ${SIMILARITY}::float8
    )
    ORDER BY score DESC, k.updated_at DESC, k.id
    LIMIT ${limit}`;
}
