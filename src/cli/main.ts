/**
 * `npx jiesu <command> [options]`: stable commands, JSONL in and out, usable in scripts.
 * Each command lives in src/cli/commands/<name>.ts and exports `command: CliCommand`.
 */
import type { CliCommand } from './command.js';

const registry: Record<string, () => Promise<{ command: CliCommand }>> = {
  // Commands register here, loaded lazily so one command's dependencies do not slow another.
  train: () => import('./commands/train.js'),
  classify: () => import('./commands/classify.js'),
  eval: () => import('./commands/eval.js'),
  locate: () => import('./commands/locate.js'),
  retrain: () => import('./commands/retrain.js'),
  hot: () => import('./commands/hot.js'),
  replies: () => import('./commands/replies.js'),
  seed: () => import('./commands/seed.js'),
  'import-orders': () => import('./commands/import-orders.js'),
  'import-grids': () => import('./commands/import-grids.js'),
  'import-components': () => import('./commands/import-components.js'),
};

function usage(): string {
  const names = Object.keys(registry).sort();
  return `用法 / usage: npx jiesu <command> [options]\n\ncommands:\n${names.map((n) => `  ${n}`).join('\n')}\n\nnpx jiesu <command> --help for a command's options.\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const load = registry[name];
  if (!load) {
    process.stderr.write(`jiesu: 未知命令 unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const { command } = await load();
  return command.run(rest, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`jiesu: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
