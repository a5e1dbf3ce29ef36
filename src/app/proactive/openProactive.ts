/**
 * 未诉先办, acting: from a spike or a forecast a supervisor or leader opens a proactive work order — through the real
 * intake, so it is dispatched, has clocks and a history like any order — or an alert to the responsible units, carrying
 * the evidence (the figures and order ids as the server computes them now, never as the client sends them). The same
 * evidence is opened once as an order and once as an alert: a unique index on (evidence key, kind) refuses the second,
 * inside the transaction that writes the order, so two supervisors clicking at once open one order.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden, invalid } from '../../domain/errors.js';
import { isWithin } from '../../domain/jurisdiction.js';
import { route, type UnitInfo } from '../../intelligence/route/route.js';
import type { Db, Tx } from '../../store/db.js';
import type { CoUnitRef } from '../../store/reference/categories.js';
import { orderEvents, orders, proactiveActions } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import { enqueueNotification } from '../outbox/publish.js';
import { getReference, type Reference } from '../reference/referenceCache.js';
import { acceptRequest } from '../requests/acceptRequest.js';
import { listForecasts, type ForecastView } from './listForecasts.js';
import { listSpikes, type SpikeView } from './listSpikes.js';

export type ProactiveInput = {
  kind: 'order' | 'alert';
  source: 'spike' | 'forecast';
  categoryCode: string;
  /** The spike's street. */
  streetCode?: string | undefined;
  /** The forecast's district; absent for a citywide forecast. */
  districtCode?: string | undefined;
  /** The lead unit of the order; by the catalogue's rule for the place when absent. */
  leadUnitCode?: string | undefined;
  /** Units to alert; the lead and co-units by the catalogue's rule when absent. */
  unitCodes?: string[] | undefined;
  note?: string | undefined;
};

export type ProactiveResult = { id: string; kind: 'order' | 'alert'; evidenceKey: string; order: { id: string; no: string } | null; unitIds: string[] };

type Evidence = { key: string; categoryId: string; districtId: string | null; streetId: string | null; figures: Record<string, unknown>; orderIds: string[]; title: string; body: string };

/** The catalogue's lead and co-units for a category at a place (the street for a spike, the district for a forecast). */
export function routeUnits(ref: Reference, categoryId: string, districtId: string | null, streetId: string | null): { lead: string | null; co: string[] } {
  const c = ref.categories.get(categoryId);
  if (!c) return { lead: null, co: [] };
  const named = (id: string | null) => (id ? { code: id, name: ref.units.get(id)?.name ?? id } : null);
  const r = route({
    category: { code: c.id, name: c.name, handling: c.handling as 'territorial' | 'sectoral' | 'district', ...(c.department ? { department: c.department } : {}), coUnits: c.coUnits as CoUnitRef[] },
    location: { district: named(districtId), street: named(streetId) },
    units: { byCode: (code): UnitInfo | undefined => { const u = ref.units.get(code); return u?.active ? { code: u.id, name: u.name, level: u.level, path: u.path } : undefined; } },
  });
  return { lead: r.lead?.code ?? null, co: r.coUnits.map((u) => u.code) };
}

export function spikeEvidence(s: SpikeView, day: string): Evidence {
  return {
    key: `spike:${s.category.code}|${s.street.code}|${day}`,
    categoryId: s.category.code,
    districtId: s.district?.code ?? null,
    streetId: s.street.code,
    figures: { source: 'spike', day, today: s.today, expected: s.expected, z: s.z, ratio: s.ratio },
    orderIds: s.orders.map((o) => o.id),
    title: `【未诉先办】${s.street.name}${s.category.name}诉求突增`,
    body: `${day}${s.district?.name ?? ''}${s.street.name}「${s.category.name}」类诉求今日${s.today}件，近期日均${s.expected}件（${s.ratio ? `${s.ratio}倍` : '此前几乎没有'}，偏离${s.z}个标准差）。请主动排查、集中处置，避免更多市民来电。相关工单：${s.orders.slice(0, 10).map((o) => o.no).join('、')}。`,
  };
}

export function forecastEvidence(f: ForecastView): Evidence {
  return {
    key: f.evidenceKey,
    categoryId: f.category.code,
    districtId: f.area.code,
    streetId: null,
    figures: { source: 'forecast', month: f.peak.month, forecast: f.peak.value, now: f.now, ratio: f.peak.ratio, lastYear: f.lastYear, method: f.method },
    orderIds: f.evidence.map((o) => o.id),
    title: `【未诉先办】${f.area.name}${f.category.name}预计${f.peak.month.slice(5).replace(/^0/, '')}月明显上升`,
    body: `预测${f.area.name}「${f.category.name}」类诉求${f.peak.month}约${Math.round(f.peak.value)}件，近30天${f.now}件${f.peak.ratio ? `（${f.peak.ratio}倍）` : ''}；去年同月${f.lastYear.orders}件。请提前排查隐患、做好预案，在市民来电前处置。去年同期工单：${f.evidence.slice(0, 10).map((o) => o.no).join('、')}。`,
  };
}

async function findEvidence(db: Db, actor: Actor, input: ProactiveInput, now: Date): Promise<Evidence> {
  if (input.source === 'spike') {
    if (!input.streetCode) throw invalid('streetCode', '突增须指明街道');
    const { day, spikes } = await listSpikes({ db, actor, now });
    const s = spikes.find((x) => x.category.code === input.categoryCode && x.street.code === input.streetCode);
    if (!s) throw invalid('streetCode', '今日该街道该类诉求没有突增（或不在本辖区）');
    return spikeEvidence(s, day);
  }
  const { forecasts } = await listForecasts({ db, actor, now, query: { level: input.districtCode ? 'district' : 'city', category: input.categoryCode, ...(input.districtCode ? { district: input.districtCode } : {}), limit: 500 } });
  const f = forecasts.find((x) => x.category.code === input.categoryCode && (x.area.code ?? undefined) === (input.districtCode ?? undefined));
  if (!f) throw invalid(input.districtCode ? 'districtCode' : 'categoryCode', '该类诉求预计不会明显上升（或不在本辖区）');
  return forecastEvidence(f);
}

function unitsOf(ref: Reference, actor: Actor, codes: string[], field: string): string[] {
  return [...new Set(codes)].map((c, i) => {
    const u = ref.units.get(c);
    if (!u?.active) throw invalid(`${field}[${i}]`, `单位 ${c} 不存在`);
    if (!isWithin(actor.scopePath, u.path) && !isWithin(actor.scopePath, ref.units.get(u.parentId ?? '')?.path)) throw invalid(`${field}[${i}]`, `${u.name}不在本辖区`);
    return u.id;
  });
}

const beijingTime = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

async function claim(tx: Tx, row: typeof proactiveActions.$inferInsert): Promise<void> {
  const [inserted] = await tx.insert(proactiveActions).values(row).onConflictDoNothing().returning({ id: proactiveActions.id });
  if (inserted) return;
  const [prior] = await tx.select().from(proactiveActions).where(and(eq(proactiveActions.evidenceKey, row.evidenceKey), eq(proactiveActions.kind, row.kind))).limit(1);
  const what = row.kind === 'order' ? `已开过主动工单${prior?.orderNo ? ` ${prior.orderNo}` : ''}` : '已发过预警';
  throw new DomainError('DUPLICATE_EVIDENCE', `同一证据${what}（${prior?.createdByName ?? ''}，${prior ? beijingTime(prior.createdAt) : ''}）`, [{ field: 'evidence', reason: row.evidenceKey }]);
}

/** openProactive({ db, actor: supervisor, input: { kind: 'order', source: 'spike', categoryCode: 'GY.04.01', streetCode: '110105026' }, now }) */
export async function openProactive(args: { db: Db; actor: Actor; input: ProactiveInput; now: Date }): Promise<ProactiveResult> {
  const { db, actor, input, now } = args;
  if (actor.role !== 'supervisor' && actor.role !== 'leader') throw forbidden('只有督办员或领导可以主动派单或预警');
  const ref = await getReference(db);
  if (!ref.categories.get(input.categoryCode)) throw invalid('categoryCode', '目录不存在');
  const ev = await findEvidence(db, actor, input, now);
  const routed = routeUnits(ref, ev.categoryId, ev.districtId, ev.streetId);
  const id = randomUUID();
  const note = input.note?.trim() || null;
  const base = { id, source: input.source, evidenceKey: ev.key, categoryId: ev.categoryId, districtId: ev.districtId, streetId: ev.streetId, evidence: { ...ev.figures, orderIds: ev.orderIds }, note, createdBy: actor.userId, createdByName: actor.displayName, createdAt: now };

  if (input.kind === 'alert') {
    const unitIds = input.unitCodes?.length ? unitsOf(ref, actor, input.unitCodes, 'unitCodes') : [routed.lead, ...(ev.streetId ? [ev.streetId] : [])].filter((u): u is string => !!u);
    if (unitIds.length === 0) throw invalid('unitCodes', '无法按目录确定责任单位，请指定预警单位');
    return db.transaction(async (tx) => {
      await claim(tx, { ...base, kind: 'alert', unitIds: [...new Set(unitIds)] });
      await enqueueNotification(tx, { template: 'proactive_alert', title: ev.title.replace('【未诉先办】', '【未诉先办预警】'), body: `${ev.body}${note ? `\n${note}` : ''}`, unitIds: [...new Set(unitIds)] }, now);
      await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.displayName, action: 'proactive.alert', targetType: 'proactive_action', targetId: id, detail: { evidenceKey: ev.key, unitIds } });
      return { id, kind: 'alert' as const, evidenceKey: ev.key, order: null, unitIds: [...new Set(unitIds)] };
    });
  }

  const lead = input.leadUnitCode ? (unitsOf(ref, actor, [input.leadUnitCode], 'leadUnitCodes')[0] ?? null) : routed.lead;
  if (!lead) throw invalid('leadUnitCode', '无法按目录确定承办单位，请指定');
  const co = input.leadUnitCode ? [] : routed.co.filter((c) => c !== lead);
  return db.transaction(async (tx) => {
    await claim(tx, { ...base, kind: 'order', unitIds: [lead, ...co] });
    // The real intake, inside this transaction: dispatched to the lead with clocks, history and notices.
    const accepted = await acceptRequest({
      db: tx,
      actor,
      input: {
        type: 'help',
        channel: 'proactive',
        title: ev.title,
        body: `${ev.body}${note ? `\n${note}` : ''}`,
        categoryCode: ev.categoryId,
        ...(ev.districtId ? { districtCode: ev.districtId } : {}),
        ...(ev.streetId ? { streetCode: ev.streetId } : {}),
        dispatch: { leadUnitCode: lead, coUnitCodes: co },
      },
      proposal: null,
      now,
    });
    if (!accepted.orderId) throw new Error('intake returned no order');
    const orderNo = accepted.order?.no ?? (await tx.select({ no: orders.no }).from(orders).where(eq(orders.id, accepted.orderId)))[0]?.no ?? null;
    await tx.update(proactiveActions).set({ orderId: accepted.orderId, orderNo }).where(eq(proactiveActions.id, id));
    await tx.insert(orderEvents).values({ orderId: accepted.orderId, at: now, type: 'proactive_evidence', fromState: null, toState: null, actorId: actor.userId, actorName: actor.displayName, actorRole: actor.role, actorUnitId: actor.unitId, data: { proactiveId: id, evidenceKey: ev.key, ...ev.figures, orderIds: ev.orderIds } });
    await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.displayName, action: 'proactive.order', targetType: 'order', targetId: accepted.orderId, detail: { evidenceKey: ev.key, proactiveId: id, leadUnitId: lead } });
    return { id, kind: 'order' as const, evidenceKey: ev.key, order: { id: accepted.orderId, no: orderNo ?? '' }, unitIds: [lead, ...co] };
  });
}
