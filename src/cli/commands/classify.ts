/**
 * `npx jiesu classify [--model MODEL] < in.jsonl > out.jsonl`: classify requests in bulk.
 * Rows `{id, title?, body?}` → `{id, label, confidence, alternatives}` (+ `truncated: true` when a text was cut),
 * one line out per good line in, in order, streamed. Bad lines are reported on stderr with their line number and
 * skipped; the exit code is then 1.
 */
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import { parseOptions, type CliCommand } from '../command.js';
import { eachJsonlRow } from '../jsonl.js';
import { loadModel } from '../../intelligence/classify/model.js';
import type { Model } from '../../intelligence/classify/model.js';

/** The shipped model, relative to the repository root. */
export const DEFAULT_MODEL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../models/classifier.jiesu.gz');

const HELP = `用法 / usage: npx jiesu classify [--model MODEL] [--evidence] < in.jsonl > out.jsonl

逐行读取 JSONL 诉求，输出一级分类、置信度和备选分类。
Reads one JSON request per line and writes one JSON classification per line, in the same order.

输入 / input:   {"id": "1", "title": "…", "body": "…"}
                id is required (string or number); title and body are optional strings
                (an empty request still gets a label, with a flat, low confidence)
输出 / output:  {"id": "1", "label": "城乡建设", "confidence": 0.91,
                 "alternatives": [{"label": "环境保护", "confidence": 0.05}, …]}
                alternatives: the next best labels (up to 3, each ≥ 0.01); "truncated": true is added
                when the title (200 characters) or body (2,000 characters) was cut before classifying.

格式错误的行在 stderr 上按行号报告并跳过，其余行照常处理；有错误行时退出码为 1。
Malformed lines are reported on stderr with their line number and skipped; the exit code is then 1.
A missing or damaged model file: message on stderr naming the file, exit code 1.

options:
  --model MODEL   model file (default: models/classifier.jiesu.gz, the shipped model)
  --evidence      add "evidence": the n-grams that most favour the label (for a dispatcher's explanation)
  -h, --help      show this help
`;

type Row = { id: string | number; title?: string | null; body?: string | null };

/** Check one parsed line; returns the row or a Chinese reason it is malformed. */
function readRow(value: unknown): Row | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return '不是 JSON 对象';
  const r = value as Record<string, unknown>;
  if (typeof r.id !== 'string' && typeof r.id !== 'number') return '缺少 id（字符串或数字）';
  for (const key of ['title', 'body'] as const) {
    if (r[key] != null && typeof r[key] !== 'string') return `${key} 不是字符串`;
  }
  return { id: r.id, title: r.title as string | null | undefined, body: r.body as string | null | undefined };
}

// Respect back-pressure so a large file streams in constant memory.
async function write(out: Writable, line: string): Promise<void> {
  if (!out.write(line)) await once(out, 'drain');
}

export const command: CliCommand = {
  name: 'classify',
  summary: '诉求一级分类 / classify requests (JSONL in, JSONL out)',
  async run(argv, io) {
    const values = parseOptions('classify', argv, { model: { type: 'string' }, evidence: { type: 'boolean' } }, io, HELP);
    if (typeof values === 'number') return values;
    let model: Model;
    try {
      model = loadModel(values.model ?? DEFAULT_MODEL);
    } catch (err) {
      io.stderr.write(`jiesu classify: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
    const bad = await eachJsonlRow(io, 'jiesu classify', readRow, async (row) => {
      const r = model.classify(row);
      const out: Record<string, unknown> = { id: row.id, label: r.label, confidence: r.confidence, alternatives: r.alternatives };
      if (r.truncated) out.truncated = true;
      if (values.evidence) out.evidence = r.evidence;
      await write(io.stdout, `${JSON.stringify(out)}\n`);
    });
    return bad ? 1 : 0;
  },
};
