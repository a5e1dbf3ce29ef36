/**
 * `npx jiesu hot --in FILE.jsonl [--top N] > hot.json`: mine hot issues (热点问题) from messages.
 * Rows `{id, title, body, time, likes?, dislikes?, user?}` → `{"issues": [{rank, heat, place, from, to, description,
 * keywords, ids, signals}]}`. Any malformed line is reported with its number and nothing is mined (exit code 2):
 * an issue list from part of the file would look complete and not be.
 */
import { parseOptions, wholeNumber, type CliCommand } from '../command.js';
import { parseBeijingTime, readJsonlFile } from '../jsonl.js';
import { findHotIssues, type HotMessage } from '../../intelligence/hot/hotIssues.js';

const HELP = `用法 / usage: npx jiesu hot --in FILE.jsonl [--top N] [--window-days N] [--half-life-days N] [--now TIME] > hot.json

从诉求中挖掘热点问题：同一地点、同一时段、同一问题的诉求归为一组，按热度指数排序。
Groups messages about the same problem in the same place and time and ranks the groups by a heat index
(people, messages, likes/dislikes, days, growth, recency; see docs/intelligence-hot-reply.md).

输入 / input rows:  {"id": "188006", "title": "…", "body": "…", "time": "2019-02-28 11:25:05",
                     "likes": 0, "dislikes": 0, "user": "A000102948"}
                    id and time are required; a time without an offset is Beijing time; title or body must
                    be present; likes, dislikes (numbers) and user are optional.
输出 / output:      {"issues": [{"rank": 1, "heat": 79.2, "place": "A市A2区丽发新城", "from": "2019-11-02",
                     "to": "2020-01-26", "description": "…", "keywords": ["搅拌站", …], "ids": ["…"],
                     "signals": {"messages": 55, "people": 52, "reactions": 52, "days": 33, "growth": 0.2, "ageDays": 0}}]}

任何一行格式错误时按行号报告且不输出结果，退出码 2；无法读取文件时退出码 2。
A malformed line is reported with its number and nothing is written (exit code 2); so is an unreadable file.

options:
  --in FILE            messages, one JSON object per line (required)
  --top N              how many issues to write (default 10; 0 for all)
  --window-days N      messages further apart are not joined directly (default 30)
  --half-life-days N   recency half-life of the heat (default 30)
  --now TIME           reference time for recency (default: the latest message)
  -h, --help           show this help
`;


/** Check one parsed line; returns the message or a Chinese reason it is malformed. */
function readRow(value: unknown): HotMessage | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return '不是 JSON 对象';
  const r = value as Record<string, unknown>;
  if (typeof r.id !== 'string' && typeof r.id !== 'number') return '缺少 id（字符串或数字）';
  for (const key of ['title', 'body'] as const) {
    if (r[key] != null && typeof r[key] !== 'string') return `${key} 不是字符串`;
  }
  if (!r.title && !r.body) return '缺少 title 或 body';
  if (typeof r.time !== 'string') return '缺少 time（如 "2019-02-28 11:25:05"）';
  const time = parseBeijingTime(r.time);
  if (!time) return `time 无法识别：${JSON.stringify(r.time)}`;
  for (const key of ['likes', 'dislikes'] as const) {
    if (r[key] != null && (typeof r[key] !== 'number' || !Number.isFinite(r[key]) || r[key] < 0)) return `${key} 不是非负数`;
  }
  if (r.user != null && typeof r.user !== 'string' && typeof r.user !== 'number') return 'user 不是字符串';
  return {
    id: String(r.id),
    title: (r.title as string | null | undefined) ?? null,
    body: (r.body as string | null | undefined) ?? null,
    time,
    likes: (r.likes as number | null | undefined) ?? 0,
    dislikes: (r.dislikes as number | null | undefined) ?? 0,
    user: r.user == null ? null : String(r.user),
  };
}



export const command: CliCommand = {
  name: 'hot',
  summary: '热点问题挖掘 / mine hot issues from messages (JSONL in, JSON out)',
  async run(argv, io) {
    const values = parseOptions('hot', argv, { in: { type: 'string' }, top: { type: 'string' }, 'window-days': { type: 'string' }, 'half-life-days': { type: 'string' }, now: { type: 'string' } }, io, HELP);
    if (typeof values === 'number') return values;
    const top = wholeNumber('top', values.top, 10, 0, 100_000);
    const windowDays = wholeNumber('window-days', values['window-days'], 30, 1, 3650);
    const halfLifeDays = wholeNumber('half-life-days', values['half-life-days'], 30, 1, 3650);
    const now = values.now === undefined ? undefined : parseBeijingTime(values.now);
    const usage = (reason: string) => {
      io.stderr.write(`jiesu hot: ${reason}\n\n${HELP}`);
      return 2;
    };
    if (!values.in) return usage('需要 --in / --in is required');
    if (typeof top === 'string') return usage(top);
    if (typeof windowDays === 'string') return usage(windowDays);
    if (typeof halfLifeDays === 'string') return usage(halfLifeDays);
    if (now === null) return usage('--now 不是可识别的时间 / --now is not a time');
    const messages = await readJsonlFile(values.in, 'hot', io, readRow);
    if (!messages) {
      io.stderr.write('jiesu hot: 未输出结果 / nothing written\n');
      return 2;
    }
    const t0 = performance.now();
    const issues = findHotIssues(messages, { top, windowDays, halfLifeDays, ...(now ? { now } : {}) });
    io.stdout.write(`${JSON.stringify({ issues }, null, 2)}\n`);
    io.stderr.write(`jiesu hot: ${messages.length} 条诉求，${issues.length} 个热点 / ${messages.length} messages, ${issues.length} issues (${((performance.now() - t0) / 1000).toFixed(2)} s)\n`);
    return 0;
  },
};
