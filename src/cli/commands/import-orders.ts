/**
 * `npx jiesu import-orders --in FILE [--format csv|xlsx|jsonl] [--batch N]`: historical orders into the platform's
 * database (as `jiesu seed` opens it), with a progress bar on stderr, the summary on stdout and every rejected row
 * as one JSON line in --rejects FILE (or on stderr). Batches are all-or-nothing; re-importing skips what is in.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { commandConfig, parseOptions, wholeNumber, type CliCommand } from '../command.js';
import { bootstrap } from '../../app/setup/bootstrap.js';
import { importOrdersFile, type ImportProgress } from '../../app/bulk/importOrders.js';
import { formatOfName, ImportFileError, importFormats, type ImportFormat } from '../../app/bulk/readers.js';

const HELP = `用法 / usage: npx jiesu import-orders --in FILE [--format csv|xlsx|jsonl] [--batch N] [--rejects FILE] [--data-dir DIR]

导入历史工单（CSV、xlsx 或 JSONL，列见 docs/exchange-bulk.md）：逐行校验，每批（默认 500 行）整批写入或整批不写，
按工单编号去重（重复导入不会重复写入），每张工单带一条「导入」历史事件。
Imports historical orders; each row is checked (line, field, reason), each batch is written all-or-nothing, and
source numbers already imported are skipped. PGlite allows one process: stop the server first.

options:
  --in FILE       the file to import (required)
  --format F      csv, xlsx or jsonl (default: from the file name)
  --batch N       rows per transaction (default 500, at most 5000)
  --rejects FILE  write rejected rows there as JSONL (default: the first 20 on stderr)
  --data-dir DIR  PGlite data folder (as JIESU_DATA_DIR; overrides DATABASE_URL)
  -h, --help      show this help
`;

const fmt = (n: number) => n.toLocaleString('en-US');

function progress(stderr: Writable & { isTTY?: boolean }, started: number): (p: ImportProgress) => void {
  let lastDecile = -1;
  return (p) => {
    const share = p.total ? p.processed / p.total : 1;
    const rate = p.processed / Math.max(0.001, (Date.now() - started) / 1000);
    if (stderr.isTTY) {
      const width = 30;
      const full = Math.round(share * width);
      stderr.write(`\r导入 importing [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(share * 100).toFixed(0).padStart(3)}%  ${fmt(p.processed)}/${fmt(p.total)}  ${fmt(Math.round(rate))} 行/秒 rows/s`);
      if (p.processed >= p.total) stderr.write('\n');
      return;
    }
    const decile = Math.floor(share * 10);
    if (decile > lastDecile) {
      lastDecile = decile;
      stderr.write(`导入 importing ${decile * 10}% (${fmt(p.processed)}/${fmt(p.total)}, ${fmt(Math.round(rate))} rows/s)\n`);
    }
  };
}

export const command: CliCommand = {
  name: 'import-orders',
  summary: 'import historical orders from CSV, xlsx or JSONL (batches all-or-nothing, re-import safe)',
  async run(argv, io) {
    const opts = parseOptions('import-orders', argv, { in: { type: 'string' }, format: { type: 'string' }, batch: { type: 'string' }, rejects: { type: 'string' }, 'data-dir': { type: 'string' } }, io, HELP);
    if (typeof opts === 'number') return opts;
    const problems: string[] = [];
    const file = opts.in?.trim();
    if (!file) problems.push('--in 必填 / is required');
    const format = (opts.format ?? (file ? formatOfName(file) : null)) as ImportFormat | null;
    if (file && !format) problems.push('无法从文件名识别格式，请加 --format / cannot tell the format from the name: add --format');
    if (format && !(importFormats as readonly string[]).includes(format)) problems.push(`--format 须为 ${importFormats.join('、')} / must be one of ${importFormats.join(', ')}`);
    const batch = wholeNumber('batch', opts.batch, 500, 1, 5000);
    if (typeof batch === 'string') problems.push(batch);
    if (problems.length) {
      io.stderr.write(`${problems.map((p) => `jiesu import-orders: ${p}`).join('\n')}\n\n${HELP}`);
      return 2;
    }
    let content: Buffer;
    try {
      if (!statSync(file as string).isFile()) throw new Error('不是文件 not a file');
      content = readFileSync(file as string);
    } catch (err) {
      io.stderr.write(`jiesu import-orders: 无法读取输入文件 cannot read ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
    const config = commandConfig('import-orders', opts['data-dir'], io);
    if (!config) return 2;
    const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
    io.stderr.write(`jiesu import-orders: 打开数据库 opening ${where} …\n`);
    const { store } = await bootstrap(config);
    try {
      const started = Date.now();
      const r = await importOrdersFile({ db: store.db, actor: null, format: format as ImportFormat, fileName: path.basename(file as string), content, batchSize: batch as number, now: new Date(), onProgress: progress(io.stderr, started) });
      if (opts.rejects) writeFileSync(opts.rejects, r.rejects.map((x) => JSON.stringify(x)).join('\n') + (r.rejects.length ? '\n' : ''));
      else for (const x of r.rejects.slice(0, 20)) io.stderr.write(`第 ${x.line} 行 line ${x.line}: ${x.field} ${x.code} ${x.reason}\n`);
      io.stdout.write(
        `导入 ${fmt(r.imported)} 张，跳过已导入 ${fmt(r.skipped)} 张，拒收 ${fmt(r.rejected)} 行（共 ${fmt(r.total)} 行）；任务 ${r.jobId}\n` +
          `imported ${fmt(r.imported)}, skipped ${fmt(r.skipped)} already in, rejected ${fmt(r.rejected)} of ${fmt(r.total)} rows in ${(r.ms / 1000).toFixed(1)} s — ${fmt(Math.round(r.total / Math.max(0.001, r.ms / 1000)))} rows/s\n`,
      );
      return r.rejected > 0 ? 1 : 0;
    } catch (err) {
      if (err instanceof ImportFileError) {
        io.stderr.write(`jiesu import-orders: 文件无法导入 ${err.message}\n`);
        return 1;
      }
      throw err;
    } finally {
      await store.close();
    }
  },
};
