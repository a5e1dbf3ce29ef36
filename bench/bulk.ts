/**
 * Bulk import: 50,000 historical orders from JSONL through `importOrdersFile` (read, check every row, dedupe by
 * source number, batches of 500 with request, order, lead unit, import event and source row), against a baseline
 * measured in the same run on the same database kind: the same table rows written with plain multi-row inserts in
 * batches of 500 and nothing else (no reading, no checks, no dedupe, no job). Then a re-import of the same file
 * (every row skipped). `npm run bench -- bulk`
 */
import { randomUUID } from 'node:crypto';
import { importOrdersFile } from '../src/app/bulk/importOrders.js';
import { orderEvents, orderUnits, orders, requests, units } from '../src/store/schema/index.js';
import { eq } from 'drizzle-orm';
import { fmt, freshStore, timed } from './support.js';

// 50,000 by default; JIESU_BENCH_BULK_ROWS for a quicker look.
const ROWS = Number(process.env.JIESU_BENCH_BULK_ROWS ?? 50_000);
const BATCH = 500;

type Street = { id: string; path: string; district: string };

function jsonl(streets: Street[], prefix: string): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const s = streets[i % streets.length] as Street;
    const day = 1 + (i % 27);
    lines.push(
      JSON.stringify({
        number: `${prefix}-${i}`,
        received_at: `2025-03-${String(day).padStart(2, '0')} 09:${String(i % 60).padStart(2, '0')}`,
        type: i % 5 === 0 ? 'help' : 'complaint',
        title: `历史工单 ${i}：小区道路破损`,
        text: `第 ${i} 号诉求：小区内道路破损多处，雨天积水，老人出行不便，请尽快修复。`,
        districtCode: s.district,
        streetCode: s.id,
        leadUnitCode: s.id,
        state: 'closed',
        reply: '已安排施工队修复破损路面。',
        repliedAt: `2025-03-${String(day).padStart(2, '0')} 15:00`,
        closedAt: `2025-03-${String(Math.min(28, day + 1)).padStart(2, '0')} 10:00`,
        resolution: i % 10 === 0 ? 'partly' : 'resolved',
        satisfaction: i % 7 === 0 ? 'basic' : 'satisfied',
        contactPhone: `139${String(10_000_000 + i).slice(-8)}`,
      }),
    );
  }
  return Buffer.from(lines.join('\n'));
}

export type BulkFigures = { kind: string; rows: number; importMs: number; baselineMs: number; reimportMs: number; imported: number; skipped: number };

export async function run(kind: 'pglite' | 'postgres'): Promise<BulkFigures> {
  const { store, drop } = await freshStore(kind);
  try {
    const db = store.db;
    const streets = (await db.select({ id: units.id, path: units.path, district: units.parentId }).from(units).where(eq(units.level, 'street'))).map((s) => ({ id: s.id, path: s.path, district: s.district ?? '' }));
    const now = new Date('2026-11-01T00:00:00Z');
    // Baseline: the same four tables, plain inserts of prepared rows.
    const baseline = await timed(async () => {
      for (let i = 0; i < ROWS; i += BATCH) {
        const reqs: (typeof requests.$inferInsert)[] = [];
        const ords: (typeof orders.$inferInsert)[] = [];
        const ous: (typeof orderUnits.$inferInsert)[] = [];
        const evs: (typeof orderEvents.$inferInsert)[] = [];
        for (let j = i; j < Math.min(ROWS, i + BATCH); j++) {
          const s = streets[j % streets.length] as Street;
          const at = new Date(Date.UTC(2025, 2, 1 + (j % 28), 1, j % 60));
          const id = randomUUID();
          const rid = randomUUID();
          reqs.push({ id: rid, no: `BASE-R-${j}`, type: 'complaint', channel: 'hotline', title: `历史工单 ${j}：小区道路破损`, body: `第 ${j} 号诉求：小区内道路破损多处`, urgency: 'general', districtId: s.district, streetId: s.id, contactPhone: '13900000000', orderId: id, createdAt: at });
          ords.push({ id, no: `BASE-${j}`, requestId: rid, type: 'complaint', channel: 'hotline', title: `历史工单 ${j}：小区道路破损`, body: `第 ${j} 号诉求：小区内道路破损多处`, urgency: 'general', policyCode: 'general', districtId: s.district, streetId: s.id, state: 'closed', leadUnitId: s.id, leadUnitPath: s.path, replyText: '已安排施工队修复破损路面。', repliedAt: at, resolution: 'resolved', satisfaction: 'satisfied', followedUpAt: at, acceptedAt: at, closedAt: at, updatedAt: now });
          ous.push({ orderId: id, unitId: s.id, unitPath: s.path, role: 'lead', active: true, assignedAt: at });
          evs.push({ orderId: id, at: now, type: 'import', toState: 'closed', data: { sourceNo: `BASE-${j}` } });
        }
        await db.transaction(async (tx) => {
          await tx.insert(requests).values(reqs);
          await tx.insert(orders).values(ords);
          await tx.insert(orderUnits).values(ous);
          await tx.insert(orderEvents).values(evs);
        });
      }
    });
    const file = jsonl(streets, 'B');
    const imp = await timed(() => importOrdersFile({ db, actor: null, format: 'jsonl', fileName: 'bench.jsonl', content: file, batchSize: BATCH, now }));
    if (imp.value.imported !== ROWS) throw new Error(`imported ${imp.value.imported} of ${ROWS}: ${JSON.stringify(imp.value.rejects.slice(0, 3))}`);
    const again = await timed(() => importOrdersFile({ db, actor: null, format: 'jsonl', fileName: 'bench.jsonl', content: file, batchSize: BATCH, now }));
    return { kind, rows: ROWS, importMs: imp.ms, baselineMs: baseline.ms, reimportMs: again.ms, imported: imp.value.imported, skipped: again.value.skipped };
  } finally {
    await drop();
  }
}

export function report(f: BulkFigures): string {
  const rate = (ms: number) => f.rows / (ms / 1000);
  return [
    `bulk import (${f.kind}): ${fmt(f.rows)} JSONL rows, batches of ${BATCH}`,
    `  baseline plain inserts of the same four tables ${fmt(f.baselineMs / 1000, 1)} s (${fmt(rate(f.baselineMs))} rows/s)`,
    `  import (read, check, dedupe, write, job) ${fmt(f.importMs / 1000, 1)} s (${fmt(rate(f.importMs))} rows/s) — ${fmt(f.importMs / f.baselineMs, 2)}× the baseline's time`,
    `  re-import of the same file: ${fmt(f.skipped)} skipped in ${fmt(f.reimportMs / 1000, 1)} s (${fmt(rate(f.reimportMs))} rows/s)`,
  ].join('\n');
}
