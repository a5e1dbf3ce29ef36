/** Streaming JSONL for the `jiesu` commands: each good row is handled in order; a bad line is reported by number. */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fromShanghai, isCivilDate } from '../domain/deadline/index.js';
import type { CliIO } from './command.js';

/**
 * Read `io.stdin` line by line, parse each with `readRow` (a string means the reason it is bad), hand good rows to
 * `handle`, and report bad ones on stderr as `第 N 行 line N: …` while the others go on. Returns how many were bad.
 * @example const bad = await eachJsonlRow(io, 'jiesu locate', readRow, async (row) => { … });
 */
export async function eachJsonlRow<T>(io: CliIO, command: string, readRow: (parsed: unknown) => T | string, handle: (row: T) => Promise<void>): Promise<number> {
  let lineNo = 0;
  let bad = 0;
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  for await (const raw of lines) {
    lineNo++;
    const text = raw.trim();
    if (text === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      bad++;
      io.stderr.write(`第 ${lineNo} 行 line ${lineNo}: JSON 格式错误 (${err instanceof Error ? err.message : String(err)})\n`);
      continue;
    }
    const row = readRow(parsed);
    if (typeof row === 'string') {
      bad++;
      io.stderr.write(`第 ${lineNo} 行 line ${lineNo}: ${row}\n`);
      continue;
    }
    await handle(row);
  }
  if (bad) io.stderr.write(`${command}: ${bad} 行格式错误已跳过 / ${bad} malformed line(s) skipped\n`);
  return bad;
}

const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * A time from the data: `YYYY-MM-DD[ HH:mm[:ss]]` is Beijing wall-clock time; a string with `Z` or an offset is
 * an instant. Anything else is null.
 *
 * @example
 * parseBeijingTime('2019-02-28 11:25:05')?.toISOString() // → '2019-02-28T03:25:05.000Z'
 */
export function parseBeijingTime(value: string): Date | null {
  const s = value.trim();
  const m = LOCAL_TIME.exec(s);
  if (m) {
    const [, date = '', hh = '0', mm = '0', ss = '0'] = m;
    if (!isCivilDate(date) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return null;
    return fromShanghai(date, Number(hh), Number(mm), Number(ss));
  }
  if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(s)) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t);
}

/**
 * Read a whole JSONL file (`jiesu hot`, `jiesu replies`): all good rows, or null after reporting
 * an unreadable file or the bad lines on stderr.
 */
export async function readJsonlFile<T>(
  file: string,
  command: string,
  io: CliIO,
  read: (value: unknown) => T | string,
): Promise<T[] | null> {
  try {
    if (!statSync(file).isFile()) throw new Error('不是文件 not a file');
  } catch (err) {
    io.stderr.write(`jiesu ${command}: 无法读取输入文件 cannot read input file ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
    return null;
  }
  const rows: T[] = [];
  const bad = await eachJsonlRow({ ...io, stdin: createReadStream(file) }, `jiesu ${command}`, read, async (row) => {
    rows.push(row);
  });
  return bad ? null : rows;
}
