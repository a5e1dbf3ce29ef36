/** Streaming JSONL for the `jiesu` commands: each good row is handled in order; a bad line is reported by number. */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
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

// Times in the data: Beijing wall-clock time or an instant (domain/deadline, shared with the bulk import).
export { parseBeijingTime } from '../domain/deadline/index.js';

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
