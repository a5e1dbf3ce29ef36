/** `npm start`: configuration → database (migrated and seeded) → HTTP server. */
import { ConfigError, loadConfig } from './config.js';
import { bootstrap } from './app/setup/bootstrap.js';
import { DEMO_PASSWORD } from './app/setup/seedDemo.js';
import { buildServer } from './http/server.js';
import { defaultJobs, startJobs } from './jobs/scheduler.js';
import { createDispatchAdvisor } from './app/dispatch/proposeDispatch.js';
import { startSensorIngest } from './app/cityops/startSensorIngest.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const started = Date.now();
  const { store, demoAccounts } = await bootstrap(config);
  const propose = createDispatchAdvisor({ db: store.db, threshold: config.dispatchThreshold, ...(config.modelFile ? { modelFile: config.modelFile } : {}) });
  const app = await buildServer({ config, store, now: () => new Date(), propose }, { logger: true });
  await app.listen({ port: config.port, host: config.host });
  const stopJobs = startJobs(defaultJobs(store.db, config), { now: () => new Date(), log: (msg, err) => app.log.error({ err }, msg) });
  const stopSensors = await startSensorIngest({ config, db: store.db, log: (msg, err) => app.log.error({ err }, msg), info: (msg) => app.log.info(msg) });
  const url = `http://localhost:${config.port}`;
  const lines = [
    '',
    `接诉 Jiesu is running at ${url}  (API docs ${url}/docs)`,
    `database: ${store.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'} · ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  ];
  if (demoAccounts.length) {
    lines.push(`demo accounts (password ${DEMO_PASSWORD}):`);
    for (const a of demoAccounts) lines.push(`  ${a.username.padEnd(12)} ${a.note}`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
  const stop = async () => {
    await stopSensors?.();
    await stopJobs();
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`启动失败 / failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
