/**
 * Periodic work: the deadline sweep and outbox delivery. The interval only triggers a sweep; all state lives in
 * the database, so a restart loses nothing and several servers can run this side by side (row locks decide).
 */
import { sweepDeadlines } from '../app/deadlines/sweepDeadlines.js';
import { deliverOutbox } from '../app/outbox/deliverOutbox.js';
import { REFRESH_EVERY_MS, runAssessmentJob } from '../app/assessment/monthFigures.js';
import type { Db } from '../store/db.js';

export type Job = { name: string; everyMs: number; run: (now: Date) => Promise<unknown> };

export function defaultJobs(db: Db): Job[] {
  return [
    { name: 'deadline-sweep', everyMs: 30_000, run: (now) => sweepDeadlines({ db, now }) },
    { name: 'outbox', everyMs: 2_000, run: (now) => deliverOutbox({ db, now }) },
    { name: 'assessment', everyMs: REFRESH_EVERY_MS, run: (now) => runAssessmentJob({ db, now }) },
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
