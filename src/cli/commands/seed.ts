/**
 * `npx jiesu seed --orders N --months M [--seed S]`: write realistic demo orders into the platform's database (the
 * PGlite folder of JIESU_DATA_DIR or --data-dir, or DATABASE_URL), opened, migrated and seeded as the server does.
 * See docs/seed.md.
 */
import { randomInt } from 'node:crypto';
import type { Writable } from 'node:stream';
import { commandConfig, parseOptions, wholeNumber, type CliCommand } from '../command.js';
import { bootstrap } from '../../app/setup/bootstrap.js';
import { seedOrders, type SeedOrdersResult } from '../../app/setup/seedOrders.js';

const HELP = `用法 / usage: npx jiesu seed [--orders N] [--months M] [--seed S] [--data-dir DIR] [--batch N] [--force]

写入逼真的演示工单：按 2020 年人口普查各区人口分布到 343 个街道（乡镇），类别、季节、时段、渠道、类型按热线常见比例，
每张工单按真实规则走完从受理到办结（或停在当前环节）的流程，含历史事件、计时、承办单位；同一种子结果相同。
Writes realistic demo work orders, spread by district population over Beijing's 343 streets/townships, each taken
through the real lifecycle rules as far as its age allows, with history, clocks and units; the same seed gives the
same orders. Adds to what the database holds. PGlite allows one process: stop the server first.

options:
  --orders N      how many orders to write (default 10000)
  --months M      spread them over the last M months (default 12, at most 60)
  --seed S        a whole number; the same seed, hour and database give the same orders (default: random, printed)
  --data-dir DIR  PGlite data folder (as JIESU_DATA_DIR; overrides DATABASE_URL)
  --batch N       orders per transaction (default 1000)
  --force         write even when NODE_ENV=production
  -h, --help      show this help
`;

const MAX_ORDERS = 5_000_000;


function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

/** Progress on stderr: a bar redrawn in place on a terminal, a line every 10% otherwise (logs, CI). */
function progress(stderr: Writable & { isTTY?: boolean }, started: number): (done: number, total: number) => void {
  let lastDecile = -1;
  return (done, total) => {
    const share = total ? done / total : 1;
    const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
    if (stderr.isTTY) {
      const width = 30;
      const full = Math.round(share * width);
      stderr.write(`\r写入工单 writing [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(share * 100).toFixed(0).padStart(3)}%  ${fmt(done)}/${fmt(total)}  ${fmt(Math.round(rate))} 单/秒 orders/s`);
      if (done >= total) stderr.write('\n');
      return;
    }
    const decile = Math.floor(share * 10);
    if (decile > lastDecile) {
      lastDecile = decile;
      stderr.write(`写入工单 writing ${decile * 10}% (${fmt(done)}/${fmt(total)}, ${fmt(Math.round(rate))} orders/s)\n`);
    }
  };
}

function summary(r: SeedOrdersResult, where: string): string {
  const secs = r.ms / 1000;
  const rate = Math.round(r.orders / Math.max(0.001, secs));
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const states = Object.entries(r.byState)
    .sort((a, b) => b[1] - a[1])
    .map(([s, n]) => `${s} ${fmt(n)}`)
    .join(' · ');
  return [
    `已写入 ${fmt(r.orders)} 张工单（诉求 ${fmt(r.requests)}，历史事件 ${fmt(r.events)}，计时 ${fmt(r.clocks)}，承办单位 ${fmt(r.orderUnits)}，训练样本 ${fmt(r.trainingExamples)}），受理时间 ${day(r.from)} 至 ${day(r.to)}，种子 ${r.seed}，库中原有工单 ${fmt(r.existingOrders)}`,
    `wrote ${fmt(r.orders)} orders in ${secs.toFixed(1)} s — ${fmt(rate)} orders/s (${r.batches} batches) into ${where}; seed ${r.seed}`,
    `states: ${states}`,
    '',
  ].join('\n');
}

export const command: CliCommand = {
  name: 'seed',
  summary: 'write realistic demo orders (populations, seasons, lifecycles) into the database',
  async run(argv, io) {
    const opts = parseOptions('seed', argv, { orders: { type: 'string' }, months: { type: 'string' }, seed: { type: 'string' }, 'data-dir': { type: 'string' }, batch: { type: 'string' }, force: { type: 'boolean' } }, io, HELP);
    if (typeof opts === 'number') return opts;
    const orders = wholeNumber('orders', opts.orders, 10_000, 1, MAX_ORDERS);
    const months = wholeNumber('months', opts.months, 12, 1, 60);
    const seed = wholeNumber('seed', opts.seed, randomInt(1, 2 ** 31), 0, Number.MAX_SAFE_INTEGER);
    const batch = wholeNumber('batch', opts.batch, 1000, 1, 100_000);
    const problems = [orders, months, seed, batch].filter((x): x is string => typeof x === 'string');
    if (problems.length || opts['data-dir']?.trim() === '') {
      if (opts['data-dir']?.trim() === '') problems.push('--data-dir 不能为空 / must not be empty');
      io.stderr.write(`${problems.map((p) => `jiesu seed: ${p}`).join('\n')}\n\n${HELP}`);
      return 2;
    }
    const config = commandConfig('seed', opts['data-dir'], io);
    if (!config) return 2;
    if (config.env === 'production' && !opts.force) {
      io.stderr.write('jiesu seed: 生产环境（NODE_ENV=production）不写入演示数据；确需写入请加 --force / refusing to write demo data with NODE_ENV=production; add --force if you mean it\n');
      return 2;
    }
    const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
    io.stderr.write(`jiesu seed: 打开数据库 opening ${where} …\n`);
    const { store } = await bootstrap(config);
    try {
      const started = Date.now();
      const result = await seedOrders({ db: store.db, now: new Date(), orders: orders as number, months: months as number, seed: String(seed), batchSize: batch as number, onProgress: progress(io.stderr, started) });
      io.stdout.write(summary(result, where));
      return 0;
    } finally {
      await store.close();
    }
  },
};
