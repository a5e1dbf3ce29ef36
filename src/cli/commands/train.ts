/**
 * `npx jiesu train --data FILE.jsonl --out MODEL`: train the request classifier from labelled JSONL rows
 * `{title?, body?, label}` and write the model file. Progress goes to stderr; the model path and time to stdout.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { parseOptions, type CliCommand } from '../command.js';
import { saveModel, trainModel } from '../../intelligence/classify/model.js';
import type { TrainPhase, TrainRow } from '../../intelligence/classify/model.js';

const HELP = `用法 / usage: npx jiesu train --data FILE.jsonl [--data MORE.jsonl …] --out MODEL [--seed N]

用带标签的诉求训练分类模型并写入模型文件。
Trains the request classifier on labelled JSONL rows and writes the model file.

输入 / input rows:  {"title": "…", "body": "…", "label": "城乡建设"}
                    label is required; title and body are optional strings (title-only rows, such as
                    teddy2020's titles_labeled.jsonl, are fine).

格式错误的行按文件和行号报告，任何一行有错时不训练，退出码 1。
Malformed rows are reported with file and line number; if any row is bad nothing is trained (exit code 1).

options:
  --data FILE    labelled JSONL (repeat to combine files)
  --out MODEL    where to write the model (gzip'd binary, e.g. models/classifier.jiesu.gz)
  --seed N       seed of the shuffles (default 1); the same data and seed give the same model
  -h, --help     show this help

example (the shipped model):
  npx jiesu train --data ../shared/data/teddy2020/messages_labeled.jsonl \\
                  --data ../shared/data/teddy2020/titles_labeled.jsonl --out models/classifier.jiesu.gz
`;

export type BadLine = { file: string; line: number; reason: string };

/**
 * Read labelled rows `{title?, body?, label}` from a JSONL file; blank lines are skipped, bad ones listed.
 *
 * @example
 * const { rows, bad } = readLabelledRows('messages_labeled.jsonl');
 */
export function readLabelledRows(file: string): { rows: TrainRow[]; bad: BadLine[] } {
  const rows: TrainRow[] = [];
  const bad: BadLine[] = [];
  const text = readFileSync(file, 'utf8');
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      bad.push({ file, line: i + 1, reason: `JSON 格式错误 (${err instanceof Error ? err.message : String(err)})` });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      bad.push({ file, line: i + 1, reason: '不是 JSON 对象' });
      return;
    }
    const r = value as Record<string, unknown>;
    if (typeof r.label !== 'string' || r.label.trim() === '') {
      bad.push({ file, line: i + 1, reason: '缺少 label（字符串）' });
      return;
    }
    for (const key of ['title', 'body'] as const) {
      if (r[key] != null && typeof r[key] !== 'string') {
        bad.push({ file, line: i + 1, reason: `${key} 不是字符串` });
        return;
      }
    }
    rows.push({ title: (r.title as string | undefined) ?? '', body: (r.body as string | undefined) ?? '', label: r.label.trim() });
  });
  return { rows, bad };
}

/**
 * Report bad lines on stderr (the first 20 and a count).
 *
 * @example
 * reportBadLines(io.stderr, bad, 'train');
 */
export function reportBadLines(err: Writable, bad: readonly BadLine[], command: string): void {
  for (const b of bad.slice(0, 20)) err.write(`${b.file} 第 ${b.line} 行 line ${b.line}: ${b.reason}\n`);
  if (bad.length > 20) err.write(`… ${bad.length - 20} more\n`);
  err.write(`jiesu ${command}: ${bad.length} 行格式错误 / ${bad.length} malformed line(s)\n`);
}

const PHASE_NAMES: Record<TrainPhase, string> = {
  features: '特征 features   ',
  calibration: '校准 calibration',
  training: '训练 training   ',
};

/** A progress bar on a TTY; on a pipe, one line per quarter so logs stay short. */
function progressPrinter(err: Writable & { isTTY?: boolean }): (phase: TrainPhase, done: number, total: number) => void {
  let lastPhase = '';
  let lastQuarter = -1;
  return (phase, done, total) => {
    const share = total > 0 ? done / total : 1;
    const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '-');
    const line = `${PHASE_NAMES[phase]} [${bar}] ${String(Math.round(share * 100)).padStart(3)}% (${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')})`;
    if (err.isTTY) {
      if (phase !== lastPhase && lastPhase !== '') err.write('\n');
      err.write(`\r${line}`);
      if (phase === 'training' && done === total) err.write('\n');
    } else {
      const quarter = Math.floor(share * 4);
      if (phase !== lastPhase || quarter !== lastQuarter) err.write(`${line}\n`);
      lastQuarter = quarter;
    }
    lastPhase = phase;
  };
}

export const command: CliCommand = {
  name: 'train',
  summary: '训练诉求分类模型 / train the request classifier from labelled JSONL',
  async run(argv, io) {
    const values = parseOptions('train', argv, { data: { type: 'string', multiple: true }, out: { type: 'string' }, seed: { type: 'string' } }, io, HELP);
    if (typeof values === 'number') return values;
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    if (!values.data?.length || !values.out || !Number.isInteger(seed)) {
      io.stderr.write(`jiesu train: 需要 --data 与 --out / --data and --out are required (and --seed must be an integer)\n\n${HELP}`);
      return 2;
    }
    const rows: TrainRow[] = [];
    const bad: BadLine[] = [];
    for (const file of values.data) {
      try {
        const r = readLabelledRows(file);
        rows.push(...r.rows);
        bad.push(...r.bad);
      } catch (err) {
        io.stderr.write(`jiesu train: 无法读取 cannot read ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
        return 1;
      }
    }
    if (bad.length) {
      reportBadLines(io.stderr, bad, 'train');
      return 1;
    }
    const t0 = performance.now();
    const progress = progressPrinter(io.stderr);
    let model;
    try {
      model = trainModel(rows, { linear: { seed } }, (e) => progress(e.phase, e.done, e.total));
    } catch (err) {
      io.stderr.write(`jiesu train: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
    const seconds = (performance.now() - t0) / 1000;
    saveModel(model, values.out);
    const mb = statSync(values.out).size / 1e6;
    io.stdout.write(
      `已写入 wrote ${values.out} (${mb.toFixed(2)} MB, ${model.size.toLocaleString('en-US')} features, ${model.labels.length} labels, ` +
        `${rows.length.toLocaleString('en-US')} rows, temperature ${model.temperature.toFixed(3)}) — 训练用时 training took ${seconds.toFixed(1)} s\n`,
    );
    return 0;
  },
};
