/** `npm run bench`: every benchmark, each with a baseline measured in the same run (these machines are noisy). */
import * as intake from './intake.js';
import * as sweep from './sweep.js';
import * as open311 from './open311.js';
import * as ranking from './ranking.js';
import * as indicators from './indicators.js';
import * as sensors from './sensors.js';
import * as bulk from './bulk.js';
import * as topics from './topics.js';
import { postgresReachable } from './support.js';

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

async function main(): Promise<void> {
  const pgUp = await postgresReachable();
  const kinds: ('pglite' | 'postgres')[] = pgUp ? ['pglite', 'postgres'] : ['pglite'];
  if (!pgUp) console.log('PostgreSQL not reachable: PGlite figures only');
  if (want('intake')) for (const k of kinds) console.log(intake.report(await intake.run(k)));
  if (want('open311')) for (const k of kinds) console.log(open311.report(await open311.run(k)));
  if (want('sweep')) {
    if (pgUp) console.log(sweep.report(await sweep.run('postgres', 1_000_000)));
    console.log(sweep.report(await sweep.run('pglite', 200_000, 200)));
  }
  if (want('ranking')) for (const k of kinds) console.log(ranking.report(await ranking.run(k)));
  if (want('indicators')) for (const k of kinds) console.log(indicators.report(await indicators.run(k)));
  if (want('sensors')) for (const k of kinds) console.log(sensors.report(await sensors.run(k)));
  if (want('bulk')) for (const k of kinds) console.log(bulk.report(await bulk.run(k)));
  if (want('topics')) for (const k of kinds) console.log(topics.report(await topics.run(k)));
  if (want('classify')) {
    const mod = (await import('./classify.js').catch(() => null)) as { run?: () => Promise<unknown> } | null;
    if (mod?.run) await mod.run();
  }
  if (want('hot')) {
    const mod = (await import('./hot.js').catch(() => null)) as { run?: () => Promise<unknown> } | null;
    if (mod?.run) await mod.run();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
