import type { Readable, Writable } from 'node:stream';

export type CliIO = { stdin: Readable; stdout: Writable; stderr: Writable };

/** One `jiesu` sub-command. `run` returns the process exit code (0 ok, 1 failure, 2 usage). */
export type CliCommand = {
  name: string;
  summary: string;
  run(argv: string[], io: CliIO): Promise<number>;
};
