/**
 * The 未诉先办 job: every run, today's spikes and the forecasts that rise well above now become alerts to the street or
 * department concerned — a notification through the outbox and a proactive_actions row — once per evidence (a spike
 * once per class, street and day; a forecast once per class, area and month), so reruns and several servers alert once.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../store/db.js';
import { proactiveActions } from '../../store/schema/index.js';
import { systemActor } from '../orders/transitionOrder.js';
import { enqueueNotification } from '../outbox/publish.js';
import { getReference } from '../reference/referenceCache.js';
import { listForecasts } from './listForecasts.js';
import { listSpikes } from './listSpikes.js';
import { forecastEvidence, routeUnits, spikeEvidence } from './openProactive.js';

export const PROACTIVE_EVERY_MS = 30 * 60_000;

/** raiseProactiveAlerts({ db, now }) → { spikes: 2, forecasts: 5 } alerts raised this run (0 for evidence alerted before). */
export async function raiseProactiveAlerts(args: { db: Db; now: Date; maxPerRun?: number }): Promise<{ spikes: number; forecasts: number }> {
  const { db, now } = args;
  const max = args.maxPerRun ?? 50;
  const ref = await getReference(db);
  const { day, spikes } = await listSpikes({ db, actor: systemActor, now });
  const { forecasts } = await listForecasts({ db, actor: systemActor, now, query: { level: 'district', limit: max } });
  const candidates = [
    ...spikes.slice(0, max).map((s) => ({ source: 'spike' as const, ev: spikeEvidence(s, day) })),
    ...forecasts.map((f) => ({ source: 'forecast' as const, ev: forecastEvidence(f) })),
  ];
  const raised = { spikes: 0, forecasts: 0 };
  for (const { source, ev } of candidates) {
    const routed = routeUnits(ref, ev.categoryId, ev.districtId, ev.streetId);
    const unitIds = [...new Set([ev.streetId, routed.lead].filter((u): u is string => !!u))];
    if (unitIds.length === 0) continue;
    await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(proactiveActions)
        .values({ id: randomUUID(), kind: 'alert', source, evidenceKey: ev.key, categoryId: ev.categoryId, districtId: ev.districtId, streetId: ev.streetId, unitIds, evidence: { ...ev.figures, orderIds: ev.orderIds }, note: null, createdBy: null, createdByName: '未诉先办自动预警', createdAt: now })
        .onConflictDoNothing()
        .returning({ id: proactiveActions.id });
      if (!row) return;
      await enqueueNotification(tx, { template: 'proactive_alert', title: ev.title.replace('【未诉先办】', '【未诉先办预警】'), body: ev.body, unitIds }, now);
      raised[source === 'spike' ? 'spikes' : 'forecasts']++;
    });
  }
  return raised;
}
