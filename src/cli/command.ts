import type { Readable, Writable } from 'node:stream';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.js';

type ParseArgsOptionConfig = NonNullable<ParseArgsConfig['options']>[string];

export type CliIO = { stdin: Readable; stdout: Writable; stderr: Writable };

/** One `jiesu` sub-command. `run` returns the process exit code (0 ok, 1 failure, 2 usage). */
export type CliCommand = {
  name: string;
  summary: string;
  run(argv: string[], io: CliIO): Promise<number>;
};

/**
 * Parse a command's options strictly; on a bad option print the reason and the help (exit 2), on --help print
 * the help (exit 0). Returns the values, or the exit code to return.
 * @example const v = parseOptions('hot', argv, { in: { type: 'string' } }, io, HELP); if (typeof v === 'number') return v;
 */
export function parseOptions<const O extends Record<string, ParseArgsOptionConfig>>(name: string, argv: string[], options: O, io: CliIO, help: string): ParsedValues<O> | number {
  let values: ParsedValues<O>;
  try {
    values = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values;
  } catch (err) {
    io.stderr.write(`jiesu ${name}: 参数错误 / ${err instanceof Error ? err.message : String(err)}\n\n${help}`);
    return 2;
  }
  if ((values as { help?: boolean }).help) {
    io.stdout.write(help);
    return 0;
  }
  return values;
}

type ParsedValues<O extends Record<string, ParseArgsOptionConfig>> = {
  [K in keyof O]?: O[K] extends { type: 'boolean' } ? (O[K] extends { multiple: true } ? boolean[] : boolean) : O[K] extends { multiple: true } ? string[] : string;
};

/** A whole number within bounds, or the usage message naming the option. */
export function wholeNumber(name: string, raw: string | undefined, fallback: number, min: number, max: number): number | string {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim())) return `--${name} 须为${min > 0 ? '正' : '非负'}整数 / must be a ${min > 0 ? 'positive' : 'non-negative'} whole number (got "${raw}")`;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) return `--${name} 须在 ${min} 到 ${max} 之间 / must be between ${min} and ${max} (got ${raw})`;
  return n;
}

/**
 * The platform's configuration for a command that writes to the database; `--data-dir` means that PGlite folder,
 * whatever DATABASE_URL says. A bad setting is written to stderr and gives null (exit code 2).
 */
export function commandConfig(name: string, dataDir: string | undefined, io: CliIO): Config | null {
  try {
    return loadConfig(dataDir ? { ...process.env, JIESU_DATA_DIR: dataDir, DATABASE_URL: undefined } : process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`jiesu ${name}: ${err.message}\n`);
      return null;
    }
    throw err;
  }
}
