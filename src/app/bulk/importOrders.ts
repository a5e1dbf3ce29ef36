/**
 * 历史工单导入: historical orders in batches (default 500), each batch written all-or-nothing in one transaction —
 * requests, orders, lead units, one 'import' history event per order and the source numbers — after every row was
 * checked (line, field, code, Chinese reason). Rows whose source number is already in are skipped, so a re-import
 * adds nothing twice. Progress and the reject report live on the job row, which the admin page polls.
 *
 * Assessment: imported orders count in the month they were accepted like any order — their follow-up answers in
 * the resolution and satisfaction rates (the 0005 triggers copy them); they carry no clocks, so they do not count
 * in the response rate. Closed months keep their snapshots; the monthly job recounts provisional ones.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden } from '../../domain/errors.js';
import type { Db } from '../../store/db.js';
import { importJobs, importedOrders, orderEvents, orderUnits, orders, requests, type ImportReject } from '../../store/schema/index.js';
import { getReference } from '../reference/referenceCache.js';
import { checkRow, type ImportRow } from './columns.js';
import { readImportFile, type ImportFormat, type SourceRow } from './readers.js';

export const MAX_REJECTS_KEPT = 1000;
export type ImportProgress = { total: number; processed: number; imported: number; skipped: number; rejected: number };
export type ImportSummary = ImportProgress & { jobId: string; rejects: ImportReject[]; rejectsTruncated: boolean; ms: number };

export function requireImporter(actor: Actor | null): void {
  if (actor && actor.role !== 'admin') throw forbidden('只有管理员可以导入历史工单');
}

export async function createImportJob(args: { db: Db; actor: Actor | null; format: ImportFormat; fileName: string; now: Date }): Promise<string> {
  requireImporter(args.actor);
  const [row] = await args.db.insert(importJobs).values({ format: args.format, fileName: args.fileName.slice(0, 200), state: 'running', createdBy: args.actor?.userId ?? null, createdAt: args.now, heartbeatAt: args.now }).returning({ id: importJobs.id });
  if (!row) throw new DomainError('INTERNAL', '无法创建导入任务');
  return row.id;
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e.code === '23505' || e.cause?.code === '23505';
}

/** The rows of one batch as table rows. */
function tableRows(rows: ImportRow[], jobId: string, actor: Actor | null, now: Date) {
  const reqs: (typeof requests.$inferInsert)[] = [];
  const ords: (typeof orders.$inferInsert)[] = [];
  const units: (typeof orderUnits.$inferInsert)[] = [];
  const events: (typeof orderEvents.$inferInsert)[] = [];
  const sources: (typeof importedOrders.$inferInsert)[] = [];
  for (const r of rows) {
    const orderId = randomUUID();
    const requestId = randomUUID();
    const no = `LS${r.sourceNo}`;
    const place = { districtId: r.districtId, streetId: r.streetId, communityId: r.communityId };
    reqs.push({ id: requestId, no, type: r.type, channel: r.channel, title: r.title, body: r.body, urgency: r.urgency, address: r.address, ...place, contactName: r.contactName, contactPhone: r.contactPhone, createdBy: actor?.userId ?? null, orderId, createdAt: r.receivedAt });
    ords.push({
      id: orderId,
      no,
      requestId,
      type: r.type,
      channel: r.channel,
      title: r.title,
      body: r.body,
      categoryId: r.categoryCode,
      urgency: r.urgency,
      policyCode: r.urgency,
      address: r.address,
      ...place,
      state: r.state,
      version: 1,
      leadUnitId: r.leadUnit?.id ?? null,
      leadUnitPath: r.leadUnit?.path ?? null,
      replyText: r.reply,
      repliedAt: r.repliedAt,
      resolution: r.resolution,
      satisfaction: r.satisfaction,
      followedUpAt: r.followedUpAt,
      assessmentExcluded: r.state === 'invalid',
      exclusionReason: r.state === 'invalid' ? '历史导入：无效工单' : null,
      acceptedAt: r.receivedAt,
      dispatchedAt: r.leadUnit ? r.receivedAt : null,
      closedAt: r.closedAt,
      updatedAt: now,
    });
    if (r.leadUnit) units.push({ orderId, unitId: r.leadUnit.id, unitPath: r.leadUnit.path, role: 'lead', active: true, signedAt: null, assignedAt: r.receivedAt });
    events.push({
      orderId,
      at: now,
      type: 'import',
      fromState: null,
      toState: r.state,
      actorId: actor?.userId ?? null,
      actorName: actor?.displayName ?? '历史数据导入',
      actorRole: actor?.role ?? null,
      actorUnitId: actor?.unitId ?? null,
      data: { sourceNo: r.sourceNo, jobId, line: r.line, receivedAt: r.receivedAt.toISOString(), repliedAt: r.repliedAt?.toISOString() ?? null, closedAt: r.closedAt?.toISOString() ?? null, resolution: r.resolution, satisfaction: r.satisfaction },
    });
    sources.push({ sourceNo: r.sourceNo, orderId, jobId, importedAt: now });
  }
  return { reqs, ords, units, events, sources };
}

/** Write one batch, all or nothing; rows already imported (by source number) are left out and counted as skipped. */
async function writeBatch(db: Db, rows: ImportRow[], jobId: string, actor: Actor | null, now: Date): Promise<{ imported: number; skipped: number }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const have = new Set((await tx.select({ no: importedOrders.sourceNo }).from(importedOrders).where(inArray(importedOrders.sourceNo, rows.map((r) => r.sourceNo)))).map((r) => r.no));
        const fresh = rows.filter((r) => !have.has(r.sourceNo));
        if (fresh.length) {
          const t = tableRows(fresh, jobId, actor, now);
          await tx.insert(importedOrders).values(t.sources);
          await tx.insert(requests).values(t.reqs);
          await tx.insert(orders).values(t.ords);
          if (t.units.length) await tx.insert(orderUnits).values(t.units);
          await tx.insert(orderEvents).values(t.events);
        }
        return { imported: fresh.length, skipped: rows.length - fresh.length };
      });
    } catch (err) {
      // Another import wrote some of these source numbers meanwhile: read again and skip them.
      if (attempt === 0 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}

/**
 * Check and write the rows of a read file into the job; `onProgress` after each batch. The job row ends 'done'
 * (with its report) or 'failed' (with the error; batches written before it stay, each whole).
 */
export async function runImport(args: { db: Db; actor: Actor | null; jobId: string; source: { rows: SourceRow[]; rejects: { line: number; problems: { field: string; code: string; reason: string }[] }[] }; batchSize?: number; now: Date; onProgress?: (p: ImportProgress) => void }): Promise<ImportSummary> {
  const { db, actor, jobId, now } = args;
  const started = Date.now();
  const batchSize = args.batchSize ?? 500;
  const ref = await getReference(db);
  const rejects: ImportReject[] = args.source.rejects.flatMap((r) => r.problems.map((p) => ({ line: r.line, ...p })));
  const p: ImportProgress = { total: args.source.rows.length + args.source.rejects.length, processed: args.source.rejects.length, imported: 0, skipped: 0, rejected: args.source.rejects.length };
  // The heartbeat is real elapsed time from `now`, so the interrupted-import sweep can tell a live job from a dead one;
  // a job the sweep wrongly called interrupted (one very slow batch) is 'running' again at its next batch.
  const save = async (extra: Partial<typeof importJobs.$inferInsert> = {}) => {
    await db
      .update(importJobs)
      .set({ totalRows: p.total, processedRows: p.processed, importedRows: p.imported, skippedRows: p.skipped, rejectedRows: p.rejected, rejects: rejects.slice(0, MAX_REJECTS_KEPT), state: 'running', error: null, finishedAt: null, heartbeatAt: new Date(now.getTime() + (Date.now() - started)), ...extra })
      .where(eq(importJobs.id, jobId));
    args.onProgress?.({ ...p });
  };
  await save();
  const seenInFile = new Map<string, number>();
  try {
    for (let i = 0; i < args.source.rows.length; i += batchSize) {
      const good: ImportRow[] = [];
      for (const src of args.source.rows.slice(i, i + batchSize)) {
        const checked = checkRow(src.line, src.rec, ref, now);
        if (Array.isArray(checked)) {
          p.rejected++;
          rejects.push(...checked.map((c) => ({ line: src.line, ...c })));
          continue;
        }
        const first = seenInFile.get(checked.sourceNo);
        if (first !== undefined) {
          p.rejected++;
          rejects.push({ line: src.line, field: 'sourceNo', code: 'DUPLICATE_IN_FILE', reason: `工单编号：与第 ${first} 行重复` });
          continue;
        }
        seenInFile.set(checked.sourceNo, src.line);
        good.push(checked);
      }
      if (good.length) {
        const w = await writeBatch(db, good, jobId, actor, now);
        p.imported += w.imported;
        p.skipped += w.skipped;
      }
      p.processed = Math.min(p.total, p.processed + Math.min(batchSize, args.source.rows.length - i));
      await save();
    }
    await save({ state: 'done', finishedAt: new Date(now.getTime() + (Date.now() - started)) });
  } catch (err) {
    await save({ state: 'failed', error: err instanceof Error ? err.message.slice(0, 500) : String(err), finishedAt: new Date(now.getTime() + (Date.now() - started)) });
    throw err;
  }
  rejects.sort((a, b) => a.line - b.line);
  return { jobId, ...p, rejects: rejects.slice(0, MAX_REJECTS_KEPT), rejectsTruncated: rejects.length > MAX_REJECTS_KEPT, ms: Date.now() - started };
}

/** Read, check and import a whole file (the CLI and the bench): a job row is written as for an upload. */
export async function importOrdersFile(args: { db: Db; actor: Actor | null; format: ImportFormat; fileName: string; content: Buffer; batchSize?: number; now: Date; onProgress?: (p: ImportProgress) => void }): Promise<ImportSummary> {
  const source = await readImportFile(args.format, args.content);
  const jobId = await createImportJob({ db: args.db, actor: args.actor, format: args.format, fileName: args.fileName, now: args.now });
  return runImport({ db: args.db, actor: args.actor, jobId, source, now: args.now, ...(args.batchSize ? { batchSize: args.batchSize } : {}), ...(args.onProgress ? { onProgress: args.onProgress } : {}) });
}

/** A running import with no progress for this long was cut off (the server stopped): batches take seconds. */
export const IMPORT_STALE_MS = 2 * 60_000;
export const INTERRUPTED_MESSAGE = '导入中断（服务重启或异常退出）。已写入的批次已保留；重新上传同一文件即可继续，已导入的工单会自动跳过。';

/**
 * The sweep for imports a restart cut off: running jobs whose heartbeat is older than IMPORT_STALE_MS become
 * 'interrupted'. Row-locked with SKIP LOCKED, so two servers sweeping at once mark each job once.
 * sweepInterruptedImports({ db, now }) → 1
 */
export async function sweepInterruptedImports(args: { db: Db; now: Date }): Promise<number> {
  const cutoff = new Date(args.now.getTime() - IMPORT_STALE_MS);
  return args.db.transaction(async (tx) => {
    const stale = await tx
      .select({ id: importJobs.id })
      .from(importJobs)
      .where(and(eq(importJobs.state, 'running'), sql`coalesce(${importJobs.heartbeatAt}, ${importJobs.createdAt}) < ${cutoff.toISOString()}::timestamptz`))
      .limit(100)
      .for('update', { skipLocked: true });
    if (stale.length === 0) return 0;
    await tx
      .update(importJobs)
      .set({ state: 'interrupted', error: INTERRUPTED_MESSAGE, finishedAt: args.now })
      .where(inArray(importJobs.id, stale.map((j) => j.id)));
    return stale.length;
  });
}

export type ImportJobView = { id: string; format: string; fileName: string; state: string; total: number; processed: number; imported: number; skipped: number; rejected: number; rejects: ImportReject[]; error: string | null; createdAt: string; finishedAt: string | null };

const jobView = (j: typeof importJobs.$inferSelect): ImportJobView => ({ id: j.id, format: j.format, fileName: j.fileName, state: j.state, total: j.totalRows, processed: j.processedRows, imported: j.importedRows, skipped: j.skippedRows, rejected: j.rejectedRows, rejects: j.rejects, error: j.error, createdAt: j.createdAt.toISOString(), finishedAt: j.finishedAt?.toISOString() ?? null });

export async function getImportJob(args: { db: Db; actor: Actor; id: string }): Promise<ImportJobView> {
  requireImporter(args.actor);
  const [j] = await args.db.select().from(importJobs).where(eq(importJobs.id, args.id)).limit(1);
  if (!j) throw new DomainError('NOT_FOUND', '导入任务不存在');
  return jobView(j);
}

export async function listImportJobs(args: { db: Db; actor: Actor }): Promise<ImportJobView[]> {
  requireImporter(args.actor);
  const rows = await args.db.select().from(importJobs).orderBy(sql`${importJobs.createdAt} DESC`).limit(50);
  return rows.map((j) => ({ ...jobView(j), rejects: [] }));
}
