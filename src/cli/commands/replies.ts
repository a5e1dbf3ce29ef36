/**
 * `npx jiesu replies --in FILE.jsonl [--worst N] [--best N] [--jsonl]`: score government replies (答复质量) against
 * their requests. Rows `{id, title, body, time?, reply, reply_time?}`. By default a summary: distribution, mean per
 * dimension, weak share, and the worst and best examples with their reasons; with `--jsonl` one score per row.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseOptions, wholeNumber, type CliCommand } from '../command.js';
import { parseBeijingTime, readJsonlFile } from '../jsonl.js';
import { scoreReply, WEAK_REPLY_SCORE, type ReplyScore } from '../../intelligence/reply/replyQuality.js';

const HELP = `用法 / usage: npx jiesu replies --in FILE.jsonl [--worst N] [--best N] [--jsonl]

评价政府答复质量：相关性、完整性、可解释性、及时性（0–1），给出综合分与薄弱原因。
Scores each reply against its request: relevance, completeness, explanation, timeliness (0–1), an overall score and
reasons in Chinese for weak dimensions (see docs/intelligence-hot-reply.md for the formula).

输入 / input rows:  {"id": "2549", "title": "…", "body": "…", "time": "2019-04-25 09:32:09",
                     "reply": "…", "reply_time": "2019-05-10 14:56:53"}
                    id and reply are required; title or body must be present; time and reply_time are
                    optional (Beijing time without an offset); without both, timeliness is null.
输出 / output:      a summary (distribution, means, weak share, worst and best examples), or with --jsonl
                    {"id": "2549", "score": 0.81, "dimensions": {"relevance": …, "completeness": …,
                     "explanation": …, "timeliness": …}, "reasons": ["…"], "weak": false} per row.

任何一行格式错误时按行号报告且不输出结果，退出码 2；无法读取文件时退出码 2。
A malformed line is reported with its number and nothing is written (exit code 2); so is an unreadable file.

options:
  --in FILE     rows to score, one JSON object per line (required)
  --worst N     examples from the low end of the scale (default 3)
  --best N      examples from the high end of the scale (default 3)
  --jsonl       one JSON score per row instead of the summary
  -h, --help    show this help
`;

type Row = { id: string; title: string | null; body: string | null; reply: string; time: Date | null; replyTime: Date | null };

/** Check one parsed line; returns the row or a Chinese reason it is malformed. */
function readRow(value: unknown): Row | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return '不是 JSON 对象';
  const r = value as Record<string, unknown>;
  if (typeof r.id !== 'string' && typeof r.id !== 'number') return '缺少 id（字符串或数字）';
  for (const key of ['title', 'body'] as const) {
    if (r[key] != null && typeof r[key] !== 'string') return `${key} 不是字符串`;
  }
  if (!r.title && !r.body) return '缺少 title 或 body';
  if (typeof r.reply !== 'string') return '缺少 reply（字符串）';
  const times: (Date | null)[] = [];
  for (const key of ['time', 'reply_time'] as const) {
    const v = r[key];
    if (v == null || v === '') {
      times.push(null);
      continue;
    }
    if (typeof v !== 'string') return `${key} 不是字符串`;
    const t = parseBeijingTime(v);
    if (!t) return `${key} 无法识别：${JSON.stringify(v)}`;
    times.push(t);
  }
  return { id: String(r.id), title: (r.title as string | null) ?? null, body: (r.body as string | null) ?? null, reply: r.reply, time: times[0] ?? null, replyTime: times[1] ?? null };
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

const DIMENSIONS = [
  ['relevance', '相关性'],
  ['completeness', '完整性'],
  ['explanation', '可解释性'],
  ['timeliness', '及时性'],
] as const;

const excerpt = (s: string | null, n: number): string => {
  const t = (s ?? '').replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n)}…` : t;
};

function example(row: Row, s: ReplyScore): string {
  const d = DIMENSIONS.map(([k, zh]) => `${zh} ${s.dimensions[k] === null ? '—' : s.dimensions[k].toFixed(2)}`).join('  ');
  return (
    `  [${row.id}] 综合 score ${s.score.toFixed(2)}  ${d}\n` +
    `    诉求 request: ${excerpt(row.title || row.body, 40)}\n` +
    `    答复 reply:   ${excerpt(row.reply, 90)}\n` +
    (s.reasons.length ? `    原因 reasons: ${s.reasons.join('；')}\n` : '')
  );
}

function summary(rows: readonly Row[], scores: readonly ReplyScore[], worst: number, best: number): string {
  const n = scores.length;
  const mean = (f: (s: ReplyScore) => number | null): string => {
    const xs = scores.map(f).filter((x): x is number => x !== null);
    return xs.length ? (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3) : '—';
  };
  const buckets = new Array<number>(10).fill(0);
  for (const s of scores) buckets[Math.min(9, Math.floor(s.score * 10))]! += 1;
  const widest = Math.max(1, ...buckets);
  const weak = scores.filter((s) => s.weak).length;
  let out = `答复质量 reply quality: ${n} 条 rows\n\n`;
  out += `平均 mean: 综合 score ${mean((s) => s.score)}  ` + DIMENSIONS.map(([k, zh]) => `${zh} ${k} ${mean((s) => s.dimensions[k])}`).join('  ') + '\n';
  out += `薄弱 weak (score < ${WEAK_REPLY_SCORE}): ${weak} (${n ? ((100 * weak) / n).toFixed(1) : '0.0'}%)\n\n分布 distribution:\n`;
  buckets.forEach((c, i) => {
    out += `  ${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)} ${String(c).padStart(6)}  ${'#'.repeat(Math.round((40 * c) / widest))}\n`;
  });
  const order = scores.map((s, i) => i).sort((a, b) => (scores[a]?.score ?? 0) - (scores[b]?.score ?? 0) || a - b);
  const show = (ix: number[]): string => ix.map((i) => (rows[i] && scores[i] ? example(rows[i], scores[i]) : '')).join('');
  if (worst > 0) out += `\n最差 worst ${Math.min(worst, n)}:\n${show(order.slice(0, worst))}`;
  if (best > 0) out += `\n最好 best ${Math.min(best, n)}:\n${show(order.slice(Math.max(0, n - best)).reverse())}`;
  return out;
}


export const command: CliCommand = {
  name: 'replies',
  summary: '答复质量评价 / score replies against their requests (JSONL in, summary or JSONL out)',
  async run(argv, io) {
    const values = parseOptions('replies', argv, { in: { type: 'string' }, worst: { type: 'string' }, best: { type: 'string' }, jsonl: { type: 'boolean' } }, io, HELP);
    if (typeof values === 'number') return values;
    const worst = wholeNumber('worst', values.worst, 3, 0, 10_000);
    const best = wholeNumber('best', values.best, 3, 0, 10_000);
    const usage = (reason: string) => {
      io.stderr.write(`jiesu replies: ${reason}\n\n${HELP}`);
      return 2;
    };
    if (!values.in) return usage('需要 --in / --in is required');
    if (typeof worst === 'string') return usage(worst);
    if (typeof best === 'string') return usage(best);
    const rows = await readJsonlFile(values.in, 'replies', io, readRow);
    if (!rows) {
      io.stderr.write('jiesu replies: 未输出结果 / nothing written\n');
      return 2;
    }
    const scores: ReplyScore[] = [];
    for (const row of rows) {
      const s = scoreReply({ title: row.title, body: row.body, reply: row.reply, time: row.time, replyTime: row.replyTime });
      scores.push(s);
      if (values.jsonl) await write(io.stdout, `${JSON.stringify({ id: row.id, score: s.score, dimensions: s.dimensions, reasons: s.reasons, weak: s.weak })}\n`);
    }
    if (!values.jsonl) await write(io.stdout, summary(rows, scores, worst, best));
    return 0;
  },
};
