/**
 * `npx jiesu retrain --out MODEL`: retrain the classifier on the city's own closed orders and dispatchers'
 * corrections, read from the platform's database (the PGlite data folder or DATABASE_URL), in one command.
 */
import { parseOptions, type CliCommand } from '../command.js';
import { loadConfig } from '../../config.js';
import { openStore, migrateStore } from '../../store/db.js';
import { saveModel, trainModel, type TrainRow } from '../../intelligence/classify/model.js';
import { trainingRowsFromOrders } from '../../app/training/trainingRows.js';
import { readLabelledRows, reportBadLines } from './train.js';
import path from 'node:path';

const HELP = `用法 / usage: npx jiesu retrain --out MODEL [--since YYYY-MM-DD] [--data EXTRA.jsonl …] [--min-rows N]

用本市已办结工单和派单员的改派纠正重新训练分类模型（读取平台数据库：JIESU_DATA_DIR 中的 PGlite，或 DATABASE_URL）。
Retrains the classifier on the city's closed orders and dispatchers' corrections, from the platform's database
(the PGlite folder in JIESU_DATA_DIR — stop the server first, PGlite allows one process — or DATABASE_URL).

options:
  --out MODEL       where to write the model; point JIESU_MODEL_FILE at it and restart to use it
  --since DATE      only orders closed (and corrections made) since this date
  --data FILE       extra labelled JSONL rows {title, body, label} to train with (repeatable)
  --min-rows N      refuse to train on fewer rows (default 200)
  -h, --help        show this help
`;

export const command: CliCommand = {
  name: 'retrain',
  summary: 'retrain the classifier on the city’s own closed orders and corrections',
  async run(argv, io) {
    const opts = parseOptions('retrain', argv, { out: { type: 'string' }, since: { type: 'string' }, data: { type: 'string', multiple: true }, 'min-rows': { type: 'string' } }, io, HELP);
    if (typeof opts === 'number') return opts;
    if (!opts.out) {
      io.stderr.write(`jiesu retrain: --out is required\n\n${HELP}`);
      return 2;
    }
    const since = opts.since ? new Date(`${opts.since}T00:00:00+08:00`) : undefined;
    if (since && Number.isNaN(since.getTime())) {
      io.stderr.write(`jiesu retrain: --since must be a date like 2026-01-01\n`);
      return 2;
    }
    const minRows = Number(opts['min-rows'] ?? 200);
    if (!Number.isInteger(minRows) || minRows < 1) {
      io.stderr.write(`jiesu retrain: --min-rows must be a positive whole number\n`);
      return 2;
    }
    const config = loadConfig(process.env);
    const store = config.databaseUrl ? await openStore({ kind: 'postgres', url: config.databaseUrl }) : await openStore({ kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite') });
    try {
      await migrateStore(store, config.databaseUrl);
      const fromDb = await trainingRowsFromOrders({ db: store.db, ...(since ? { since } : {}) });
      const extra: TrainRow[] = [];
      for (const f of opts.data ?? []) {
        const r = readLabelledRows(f);
        if (r.bad.length) {
          reportBadLines(io.stderr, r.bad, 'retrain');
          return 1;
        }
        extra.push(...r.rows);
      }
      const rows = [...fromDb.rows, ...extra];
      io.stderr.write(`training rows: ${fromDb.closed} closed orders, ${fromDb.corrections} corrections, ${extra.length} extra — ${JSON.stringify(fromDb.byLabel)}\n`);
      if (rows.length < minRows) {
        io.stderr.write(`jiesu retrain: only ${rows.length} rows (need ${minRows}); nothing written\n`);
        return 1;
      }
      if (new Set(rows.map((r) => r.label)).size < 2) {
        io.stderr.write('jiesu retrain: the rows carry fewer than two labels; nothing written\n');
        return 1;
      }
      const t0 = Date.now();
      const model = trainModel(rows, {}, (e) => io.stderr.write(`\r${e.phase} ${e.done}/${e.total}   `));
      saveModel(model, opts.out);
      io.stderr.write('\n');
      io.stdout.write(`wrote ${opts.out} (${rows.length} rows, ${model.labels.length} labels) in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
