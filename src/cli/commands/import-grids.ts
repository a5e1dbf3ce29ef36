/**
 * `npx jiesu import-grids --file cells.geojson|cells.csv [--dry-run] [--data-dir DIR]`: import grid cells into the
 * platform's database, all or nothing, as `POST /api/v1/grids/import` does. Rejects are listed on stderr (exit 1).
 */
import { readFile } from 'node:fs/promises';
import type { CliCommand, CliIO } from '../command.js';
import { commandConfig, parseOptions } from '../command.js';
import { bootstrap } from '../../app/setup/bootstrap.js';
import { DomainError } from '../../domain/errors.js';
import type { ImportReport } from '../../app/cityops/importGrids.js';
import type { Db } from '../../store/db.js';

export type ImportFn = (args: { db: Db; actor: null; text: string; now: Date; dryRun?: boolean }) => Promise<ImportReport>;

const help = (name: string, what: string, format: string) => `用法 / usage: npx jiesu ${name} --file FILE [--dry-run] [--data-dir DIR]

导入${what}（GeoJSON 或 CSV，按首字符识别）：逐条校验，任何一条有误则整份文件不写入，并列出每个问题。
Imports ${what === '网格' ? 'grid cells' : 'city components'} from GeoJSON or CSV, all or nothing; every reject is listed.
${format}

options:
  --file FILE     the GeoJSON or CSV file
  --dry-run       check only, write nothing
  --data-dir DIR  PGlite data folder (as JIESU_DATA_DIR; overrides DATABASE_URL). PGlite allows one process: stop the server first.
  -h, --help      show this help
`;

/** The body of both import commands. */
export async function runImport(name: string, what: string, format: string, importFn: ImportFn, argv: string[], io: CliIO): Promise<number> {
  const HELP = help(name, what, format);
  const opts = parseOptions(name, argv, { file: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'data-dir': { type: 'string' } }, io, HELP);
  if (typeof opts === 'number') return opts;
  if (!opts.file?.trim()) {
    io.stderr.write(`jiesu ${name}: 缺少 --file / --file is required\n\n${HELP}`);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(opts.file, 'utf8');
  } catch (err) {
    io.stderr.write(`jiesu ${name}: 无法读取文件 cannot read ${opts.file}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const config = commandConfig(name, opts['data-dir'], io);
  if (!config) return 2;
  const { store } = await bootstrap(config);
  try {
    const report = await importFn({ db: store.db, actor: null, text, now: new Date(), dryRun: opts['dry-run'] === true });
    io.stdout.write(`${JSON.stringify(report)}\n`);
    io.stderr.write(`jiesu ${name}: ${opts['dry-run'] ? '校验通过（未写入）checked, nothing written' : '已导入 imported'} ${report.imported}（新增 ${report.created}，更新 ${report.updated}）\n`);
    return 0;
  } catch (err) {
    if (err instanceof DomainError && err.code === 'VALIDATION_FAILED') {
      io.stderr.write(`jiesu ${name}: 未导入任何数据 nothing imported — ${err.fields?.length ?? 0} 处问题 problems:\n${(err.fields ?? []).map((f) => `  ${f.field}: ${f.reason}`).join('\n')}\n`);
      return 1;
    }
    throw err;
  } finally {
    await store.close();
  }
}

export const command: CliCommand = {
  name: 'import-grids',
  summary: 'import grid cells (GeoJSON/CSV), all or nothing',
  run: async (argv, io) => {
    const { importGrids } = await import('../../app/cityops/importGrids.js');
    return runImport('import-grids', '网格', 'GeoJSON: FeatureCollection of Polygon features, properties code, name, communityCode.\nCSV: code,name,community_code,geometry (GeoJSON geometry) | coordinates ("lng lat;lng lat;…").', importGrids, argv, io);
  },
};
