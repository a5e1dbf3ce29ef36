/**
 * Periodic work: the deadline sweep and outbox delivery. The interval only triggers a sweep; all state lives in
 * the database, so a restart loses nothing and several servers can run this side by side (row locks decide).
 */
import { sweepDeadlines } from '../app/deadlines/sweepDeadlines.js';
import { deliverOutbox } from '../app/outbox/deliverOutbox.js';
import { deliverWebhooks } from '../app/integrations/deliverWebhooks.js';
import { REFRESH_EVERY_MS, runAssessmentJob } from '../app/assessment/monthFigures.js';
import { INDICATOR_JOB_EVERY_MS, runIndicatorJob } from '../app/indicators/recordIndicators.js';
import { EXCHANGE_INDICATORS_EVERY_MS, EXCHANGE_JOB_EVERY_MS, runExchangeIndicatorsJob, runExchangeJob } from '../app/exchange/runExchangeJob.js';
import { PROACTIVE_EVERY_MS, raiseProactiveAlerts } from '../app/proactive/raiseProactiveAlerts.js';
import { sweepInterruptedImports } from '../app/bulk/importOrders.js';
import { sweepExpiry } from '../app/cityops/eventSources.js';
import { dispatchAutoAlarms } from '../app/cityops/alarmToOrder.js';
import { sweepSilentAlarms } from '../app/cityops/autoClearAlarms.js';
import type { Config } from '../config.js';
import type { Db } from '../store/db.js';

export type Job = { name: string; everyMs: number; run: (now: Date) => Promise<unknown> };

export function defaultJobs(db: Db, config?: Pick<Config, 'webhooks'>): Job[] {
  const allowPrivate = config?.webhooks.allowPrivateTargets ?? false;
  return [
    { name: 'deadline-sweep', everyMs: 30_000, run: (now) => sweepDeadlines({ db, now }) },
    // 一网统管: expiry models (health certificates… raised and, renewed, cleared) and auto-dispatch orders an ingest could not make before a crash.
    { name: 'cityops-expiry', everyMs: 5 * 60_000, run: (now) => sweepExpiry({ db, now }) },
    { name: 'cityops-auto-dispatch', everyMs: 30_000, run: (now) => dispatchAutoAlarms({ db, now }) },
    // Repeat, rate and event models with a recovery: their alarms clear after N minutes without a firing.
    { name: 'cityops-silence', everyMs: 60_000, run: (now) => sweepSilentAlarms({ db, now }) },
    { name: 'outbox', everyMs: 2_000, run: (now) => deliverOutbox({ db, now }) },
    { name: 'webhooks', everyMs: 2_000, run: (now) => deliverWebhooks({ db, now, allowPrivate }) },
    { name: 'assessment', everyMs: REFRESH_EVERY_MS, run: (now) => runAssessmentJob({ db, now }) },
    { name: 'proactive-alerts', everyMs: PROACTIVE_EVERY_MS, run: (now) => raiseProactiveAlerts({ db, now }) },
    { name: 'indicators', everyMs: INDICATOR_JOB_EVERY_MS, run: (now) => runIndicatorJob({ db, now }) },
    { name: 'exchange', everyMs: EXCHANGE_JOB_EVERY_MS, run: (now) => runExchangeJob({ db, now }) },
    // An upload's import runs in the server that took it; one a restart cut off is marked 'interrupted', not left running.
    { name: 'import-interrupted', everyMs: 60_000, run: (now) => sweepInterruptedImports({ db, now }) },
    { name: 'exchange-indicators', everyMs: EXCHANGE_INDICATORS_EVERY_MS, run: (now) => runExchangeIndicatorsJob({ db, now }) },
  ];
}

/** Start the jobs; each run waits for the previous one, and an error is logged, never fatal. */
export function startJobs(jobs: Job[], opts: { now: () => Date; log: (msg: string, err?: unknown) => void }): () => Promise<void> {
  let stopped = false;
  const running = new Set<Promise<unknown>>();
  const timers = jobs.map((job) => {
    let busy = false;
    return setInterval(() => {
      if (busy || stopped) return;
      busy = true;
      const p = job
        .run(opts.now())
        .catch((err: unknown) => opts.log(`job ${job.name} failed`, err))
        .finally(() => {
          busy = false;
          running.delete(p);
        });
      running.add(p);
    }, job.everyMs);
  });
  return async () => {
    stopped = true;
    timers.forEach(clearInterval);
    await Promise.allSettled([...running]);
  };
}
