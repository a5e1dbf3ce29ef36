/**
 * `npx jiesu eval --data FILE.jsonl [--folds 5]`: measure the request classifier by grouped, stratified k-fold
 * cross-validation (and optionally a hold-out split): accuracy, macro-F1, per-class precision/recall/F1.
 */
import { parseOptions, type CliCommand } from '../command.js';
import { crossValidate, formatMetrics, holdout } from '../../intelligence/classify/evaluate.js';
import type { Metrics } from '../../intelligence/classify/evaluate.js';
import type { TrainRow } from '../../intelligence/classify/model.js';
import { readLabelledRows, reportBadLines } from './train.js';
import type { BadLine } from './train.js';

const HELP = `用法 / usage: npx jiesu eval --data FILE.jsonl [--extra TITLES.jsonl] [--folds 5] [--holdout 0.3] [--seed 1] [--json]

用 k 折交叉验证评估分类模型：准确率、宏平均 F1、各类别精确率/召回率/F1。
Evaluates the classifier by k-fold cross-validation with the same options as \`jiesu train\`.
Rows {title?, body?, label}. Near-duplicate rows (same normalised body start or title) stay in one fold.

options:
  --data FILE      labelled JSONL rows to evaluate on (repeatable)
  --extra FILE     labelled rows used for training only, never tested (e.g. titles_labeled.jsonl);
                   a row whose title equals a test row's title is left out of that training part
  --folds N        number of folds (default 5; 0 skips cross-validation)
  --holdout SHARE  also train on 1 − SHARE and test on SHARE (grouped, stratified; e.g. 0.3)
  --seed N         seed of the fold assignment and training (default 1)
  --json           print one JSON object instead of tables
  -h, --help       show this help

exit code: 0 done, 1 unreadable or malformed data, 2 bad options.
`;

function rowsOf(files: readonly string[], bad: BadLine[]): TrainRow[] {
  const rows: TrainRow[] = [];
  for (const file of files) {
    const r = readLabelledRows(file);
    rows.push(...r.rows);
    bad.push(...r.bad);
  }
  return rows;
}

const round = (v: number): number => Math.round(v * 1e4) / 1e4;
function compactMetrics(m: Metrics): Record<string, unknown> {
  return {
    n: m.n,
    accuracy: round(m.accuracy),
    macroF1: round(m.macroF1),
    perClass: m.perClass.map((c) => ({ ...c, precision: round(c.precision), recall: round(c.recall), f1: round(c.f1) })),
    labels: m.labels,
    confusion: m.confusion,
  };
}

export const command: CliCommand = {
  name: 'eval',
  summary: '评估诉求分类模型 / cross-validate the request classifier',
  async run(argv, io) {
    const values = parseOptions('eval', argv, { data: { type: 'string', multiple: true }, extra: { type: 'string', multiple: true }, folds: { type: 'string' }, holdout: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } }, io, HELP);
    if (typeof values === 'number') return values;
    const folds = values.folds === undefined ? 5 : Number(values.folds);
    const share = values.holdout === undefined ? 0 : Number(values.holdout);
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    if (!values.data?.length || !Number.isInteger(folds) || folds === 1 || folds < 0 || !(share >= 0 && share < 1) || !Number.isInteger(seed)) {
      io.stderr.write(`jiesu eval: 需要 --data；--folds 为 0 或 ≥ 2；--holdout 在 0 与 1 之间 / --data required, --folds 0 or ≥ 2, --holdout in [0, 1)\n\n${HELP}`);
      return 2;
    }
    const bad: BadLine[] = [];
    let rows: TrainRow[];
    let extra: TrainRow[];
    try {
      rows = rowsOf(values.data, bad);
      extra = rowsOf(values.extra ?? [], bad);
    } catch (err) {
      io.stderr.write(`jiesu eval: 无法读取 cannot read data: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
    if (bad.length) {
      reportBadLines(io.stderr, bad, 'eval');
      return 1;
    }
    const opts = { extra, seed, model: { linear: { seed } } };
    const result: Record<string, unknown> = { rows: rows.length, extraRows: extra.length, seed };
    const t0 = performance.now();
    if (folds >= 2) {
      const cv = crossValidate(rows, folds, opts, (done, total, m) =>
        io.stderr.write(`fold ${done}/${total}: macro-F1 ${m.macroF1.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`),
      );
      result.crossValidation = {
        folds,
        meanMacroF1: round(cv.meanMacroF1),
        stdMacroF1: round(cv.stdMacroF1),
        meanAccuracy: round(cv.meanAccuracy),
        foldMacroF1: cv.folds.map((m) => round(m.macroF1)),
        duplicateRows: cv.duplicateRows,
        pooled: compactMetrics(cv.pooled),
      };
      if (!values.json) {
        io.stdout.write(
          `== ${folds}-fold cross-validation (grouped by duplicate text, stratified; ${cv.duplicateRows} near-duplicate rows kept with their twins)\n` +
            `macro-F1 mean ${cv.meanMacroF1.toFixed(4)} ± ${cv.stdMacroF1.toFixed(4)} over folds [${cv.folds.map((m) => m.macroF1.toFixed(4)).join(', ')}], ` +
            `accuracy mean ${cv.meanAccuracy.toFixed(4)}\n\nall out-of-fold predictions pooled:\n${formatMetrics(cv.pooled)}\n`,
        );
      }
    }
    if (share > 0) {
      const h = holdout(rows, share, opts);
      result.holdout = {
        share,
        trainRows: h.trainRows,
        testRows: h.testRows,
        calibrationError: round(h.calibrationError),
        logLoss: round(h.logLoss),
        temperature: round(h.model.temperature),
        metrics: compactMetrics(h.metrics),
      };
      if (!values.json) {
        io.stdout.write(
          `== hold-out: train ${h.trainRows} rows, test ${h.testRows} rows (temperature ${h.model.temperature.toFixed(3)}, ` +
            `calibration error ${h.calibrationError.toFixed(4)}, log-loss ${h.logLoss.toFixed(4)})\n${formatMetrics(h.metrics)}\n`,
        );
      }
    }
    result.seconds = round((performance.now() - t0) / 1000);
    if (values.json) io.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  },
};
