/**
 * Export any order list (the same filters and jurisdiction as GET /orders) as CSV (UTF-8 with BOM, RFC 4180) or
 * xlsx, streamed page by page so a large list never sits in memory. Contact data is always masked (PIPL): the full
 * name and phone are only ever shown through the audited reveal, one order at a time. Cells that a spreadsheet
 * would run as a formula (= + - @) are prefixed with an apostrophe.
 */
import { PassThrough, type Readable } from 'node:stream';
import { inArray } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Actor } from '../../domain/actor.js';
import { forbidden } from '../../domain/errors.js';
import { maskName, maskPhone } from '../../domain/masking.js';
import { orderStateLabels } from '../../domain/order/index.js';
import type { Db } from '../../store/db.js';
import { orders, requests } from '../../store/schema/index.js';
import { listOrders, type OrderFilter, type OrderListItem } from '../orders/listOrders.js';

export const EXPORT_MAX_ROWS = 100_000;
const PAGE = 200;

type Extra = { contactName: string | null; contactPhone: string | null; reply: string | null; repliedAt: Date | null; closedAt: Date | null };
type Column = { header: string; width: number; value: (o: OrderListItem, x: Extra | undefined) => string | number | null };

const day = (iso: string | Date | null) => {
  if (!iso) return null;
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
};

export const exportColumns: Column[] = [
  { header: '工单编号', width: 20, value: (o) => o.no },
  { header: '受理时间', width: 20, value: (o) => day(o.acceptedAt) },
  { header: '状态', width: 10, value: (o) => orderStateLabels[o.state] ?? o.state },
  { header: '类型', width: 8, value: (o) => o.type },
  { header: '标题', width: 30, value: (o) => o.title },
  { header: '类别', width: 16, value: (o) => o.category?.name ?? null },
  { header: '区', width: 10, value: (o) => o.district?.name ?? null },
  { header: '街道', width: 12, value: (o) => o.street?.name ?? null },
  { header: '主办单位', width: 18, value: (o) => o.leadUnit?.name ?? null },
  { header: '紧急程度', width: 8, value: (o) => o.urgency },
  { header: '答复时限', width: 20, value: (o) => day(o.dueAt) },
  { header: '超时', width: 6, value: (o) => (o.overdue ? '是' : '') },
  { header: '渠道', width: 8, value: (o) => o.channel },
  { header: '联系人', width: 8, value: (_o, x) => maskName(x?.contactName) },
  { header: '联系电话', width: 14, value: (_o, x) => maskPhone(x?.contactPhone) },
  { header: '答复时间', width: 20, value: (_o, x) => day(x?.repliedAt ?? null) },
  { header: '办结时间', width: 20, value: (_o, x) => day(x?.closedAt ?? null) },
  { header: '答复内容', width: 40, value: (_o, x) => x?.reply ?? null },
];

const safe = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? String(v) : safe(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function* pages(db: Db, actor: Actor, filter: OrderFilter, now: Date): AsyncGenerator<{ items: OrderListItem[]; extra: Map<string, Extra> }> {
  let cursor: string | undefined;
  let rows = 0;
  for (;;) {
    const page = await listOrders({ db, actor, filter, limit: PAGE, cursor, now });
    const ids = page.items.map((i) => i.id);
    const extra = new Map<string, Extra>();
    if (ids.length) {
      const os = await db.select({ id: orders.id, reply: orders.replyText, repliedAt: orders.repliedAt, closedAt: orders.closedAt }).from(orders).where(inArray(orders.id, ids));
      const rs = await db.select({ orderId: requests.orderId, name: requests.contactName, phone: requests.contactPhone }).from(requests).where(inArray(requests.orderId, ids));
      const contact = new Map(rs.map((r) => [r.orderId, r]));
      for (const o of os) extra.set(o.id, { contactName: contact.get(o.id)?.name ?? null, contactPhone: contact.get(o.id)?.phone ?? null, reply: o.reply, repliedAt: o.repliedAt, closedAt: o.closedAt });
    }
    const room = EXPORT_MAX_ROWS - rows;
    const items = page.items.slice(0, room);
    rows += items.length;
    yield { items, extra };
    if (!page.nextCursor || rows >= EXPORT_MAX_ROWS) return;
    cursor = page.nextCursor;
  }
}

/** exportOrders({ db, actor, filter: { state: ['closed'] }, format: 'csv', now }) → a stream of the file. */
export function exportOrders(args: { db: Db; actor: Actor; filter: OrderFilter; format: 'csv' | 'xlsx'; now: Date }): Readable {
  const { db, actor, filter, now } = args;
  if (actor.role === 'citizen') throw forbidden('市民不能导出工单列表');
  const out = new PassThrough();
  const run = async () => {
    if (args.format === 'csv') {
      out.write(`\uFEFF${exportColumns.map((c) => csvField(c.header)).join(',')}\r\n`);
      for await (const p of pages(db, actor, filter, now)) {
        const chunk = p.items.map((o) => exportColumns.map((c) => csvField(c.value(o, p.extra.get(o.id)))).join(',')).join('\r\n');
        if (chunk) out.write(`${chunk}\r\n`);
      }
      out.end();
      return;
    }
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const ws = wb.addWorksheet('工单');
    ws.columns = exportColumns.map((c) => ({ header: c.header, width: c.width }));
    ws.getRow(1).font = { bold: true };
    for await (const p of pages(db, actor, filter, now)) {
      for (const o of p.items) ws.addRow(exportColumns.map((c) => c.value(o, p.extra.get(o.id)))).commit();
    }
    ws.commit();
    await wb.commit();
  };
  run().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}
