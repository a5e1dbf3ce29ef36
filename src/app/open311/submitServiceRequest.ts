/**
 * Open311 `POST requests`: check the fields as the spec names them, then take the same path as every other
 * channel — intelligent dispatch proposes (classification, location, repeats), the client's service code is
 * the category, the lead unit is routed for that category at the located place, and `acceptRequest` records,
 * dispatches or queues for review. Nothing is written when a field is wrong.
 */
import type { ApiPrincipal } from '../integrations/apiKeys.js';
import { allowsService } from '../integrations/apiKeys.js';
import { DomainError, forbidden, type FieldProblem } from '../../domain/errors.js';
import { route, type RouteLocation, type UnitInfo } from '../../intelligence/route/route.js';
import type { Db } from '../../store/db.js';
import type { Category } from '../../store/reference/index.js';
import type { Proposal, ProposalInput } from '../dispatch/proposal.js';
import { acceptRequest, requestTypes, type RequestInput, type RequestType } from '../requests/acceptRequest.js';
import { getReference, type Reference } from '../reference/referenceCache.js';
import { attributesOf, serviceCategory } from './services.js';
import { getOpen311Settings } from './settings.js';

/** The POST fields, as strings from a form or JSON (attribute[CODE] collected into `attributes`). */
export type ServiceRequestFields = {
  jurisdiction_id?: string | undefined;
  service_code?: string | undefined;
  lat?: string | undefined;
  long?: string | undefined;
  address_string?: string | undefined;
  address_id?: string | undefined;
  description?: string | undefined;
  media_url?: string | undefined;
  first_name?: string | undefined;
  last_name?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  device_id?: string | undefined;
  account_id?: string | undefined;
  attributes: Record<string, string[]>;
};

export const LIMITS = { description: 4000, address: 300, name: 25, email: 100, id: 100, url: 500 } as const;

export type SubmitResult = { serviceRequestId: string | null; token: string; orderId: string | null; state: string | null; serviceNotice: string; accountId: string | null; replayed: boolean };

const isHttpUrl = (s: string) => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
};

/** The location as routing reads it, from an address_id (a unit code) or from the proposal. */
function routeLocation(ref: Reference, place: { districtCode?: string | undefined; streetCode?: string | undefined }, proposal: Proposal | null): RouteLocation {
  const named = (code: string | undefined) => {
    const u = code ? ref.units.get(code) : undefined;
    return u ? { code: u.id, name: u.name } : null;
  };
  if (place.districtCode) return { district: named(place.districtCode), street: named(place.streetCode), confidence: 1 };
  return { district: proposal?.location.district ?? null, street: proposal?.location.street ?? null, confidence: proposal?.location.confidence ?? 0 };
}

export async function submitServiceRequest(args: {
  db: Db;
  principal: ApiPrincipal;
  fields: ServiceRequestFields;
  propose: ((input: ProposalInput) => Promise<Proposal>) | undefined;
  threshold: number;
  idempotencyKey?: string | undefined;
  now: Date;
}): Promise<SubmitResult> {
  const { db, principal, fields: f, now } = args;
  const settings = await getOpen311Settings(db);
  const ref = await getReference(db);
  const problems: FieldProblem[] = [];
  const bad = (field: string, reason: string) => problems.push({ field, reason });
  const tooLong = (field: keyof typeof f, max: number) => {
    const v = f[field];
    if (typeof v === 'string' && [...v].length > max) bad(field, `过长（最多 ${max} 个字符）`);
  };

  if (f.jurisdiction_id !== undefined && f.jurisdiction_id !== settings.jurisdictionId) throw new DomainError('NOT_FOUND', `jurisdiction_id 未知：${f.jurisdiction_id}（本平台为 ${settings.jurisdictionId}）`, [{ field: 'jurisdiction_id', reason: '未知' }]);
  const code = f.service_code?.trim();
  const cat = code ? serviceCategory(ref, code) : null;
  if (!code) bad('service_code', '必填');
  else if (!cat) bad('service_code', `服务不存在：${code.slice(0, 40)}`);
  else if (!allowsService(principal, code)) throw forbidden(`该密钥无权提交服务 ${code}`);

  // Location: lat/long, or an address, or an address_id (a community, street or district code).
  let lat: number | undefined;
  let lng: number | undefined;
  if (f.lat !== undefined || f.long !== undefined) {
    const la = Number(f.lat);
    const lo = Number(f.long);
    if (f.lat === undefined || f.lat.trim() === '' || !Number.isFinite(la) || la < -90 || la > 90) bad('lat', '纬度无效（-90 至 90 的数字）');
    else if (f.long === undefined || f.long.trim() === '' || !Number.isFinite(lo) || lo < -180 || lo > 180) bad('long', '经度无效（-180 至 180 的数字）');
    else if (la < settings.bounds.minLat || la > settings.bounds.maxLat || lo < settings.bounds.minLng || lo > settings.bounds.maxLng) bad('lat', `坐标 ${la},${lo} 不在本市范围内`);
    else [lat, lng] = [la, lo];
  }
  const address = f.address_string?.trim() || undefined;
  tooLong('address_string', LIMITS.address);
  const place: { districtCode?: string; streetCode?: string; communityCode?: string } = {};
  if (f.address_id !== undefined) {
    const u = ref.units.get(f.address_id.trim());
    if (!u || !u.active || !['district', 'street', 'community'].includes(u.level)) bad('address_id', '不是有效的区、街道或社区编码');
    else {
      const seg = u.path.split('/').filter(Boolean);
      place.districtCode = seg[1];
      if (u.level !== 'district') place.streetCode = seg[2];
      if (u.level === 'community') place.communityCode = u.id;
    }
  }
  if (f.lat === undefined && f.long === undefined && !address && f.address_id === undefined) bad('lat', '位置必填：lat/long、address_string 或 address_id 至少一项');

  const description = f.description?.trim() ?? '';
  if (!description) bad('description', '必填');
  tooLong('description', LIMITS.description);
  if (f.media_url !== undefined && (!isHttpUrl(f.media_url) || f.media_url.length > LIMITS.url)) bad('media_url', '不是有效的 http(s) 网址');
  tooLong('first_name', LIMITS.name);
  tooLong('last_name', LIMITS.name);
  if (f.email !== undefined && (f.email.length > LIMITS.email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email))) bad('email', '邮箱格式错误');
  if (f.phone !== undefined && !/^[0-9+\-() ]{5,20}$/.test(f.phone)) bad('phone', '电话号码格式错误');
  tooLong('device_id', LIMITS.id);
  tooLong('account_id', LIMITS.id);

  // attribute[CODE]: known codes, values of the listed keys, required ones present.
  let type: RequestType = 'complaint';
  let urgency: RequestInput['urgency'];
  const extra: string[] = [];
  if (cat) {
    const defs = attributesOf(cat);
    for (const key of Object.keys(f.attributes)) if (!defs.some((d) => d.code === key)) bad(`attribute[${key}]`, '该服务没有此属性');
    for (const d of defs) {
      const vals = f.attributes[d.code] ?? [];
      const v = vals[0]?.trim();
      if (!v) {
        if (d.required) bad(`attribute[${d.code}]`, `必填（${d.description}）`);
        continue;
      }
      if (d.datatype === 'singlevaluelist' && (vals.length > 1 || !d.values.some((x) => x.key === v))) {
        bad(`attribute[${d.code}]`, `取值无效（可选：${d.values.map((x) => x.key).join('、')}）`);
        continue;
      }
      if (d.code === 'REQUEST_TYPE') type = v as RequestType;
      if (d.code === 'AFFECTED_HOUSEHOLDS') {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 100_000) bad(`attribute[${d.code}]`, '应为 1–100000 的整数');
        else extra.push(`受影响户数：${n}`);
      }
      if (d.code === 'DANGER_NOW') {
        extra.push(`正在危及人身或财产安全：${v === 'yes' ? '是' : '否'}`);
        if (v === 'yes') urgency = 'emergency';
      }
    }
  }
  if (problems.length || !cat || !code) {
    throw new DomainError('VALIDATION_FAILED', `请求参数有误：${problems.map((p) => `${p.field}（${p.reason}）`).join('；')}`, problems);
  }
  if (!(requestTypes as readonly string[]).includes(type)) type = 'complaint';

  const firstLine = description.split(/\r?\n/)[0]?.trim() ?? description;
  const title = [...firstLine].length > 60 ? `${[...firstLine].slice(0, 59).join('')}…` : firstLine;
  const body = [description, ...extra, ...(f.media_url ? [`图片：${f.media_url}`] : [])].join('\n');

  // Intelligent dispatch as for any channel; the client chose the service, so route for that category.
  let proposal = args.propose ? await args.propose({ title, body, address, lat, lng, knowledge: false }) : null;
  if (proposal && proposal.category?.code !== cat.id) {
    const loc = routeLocation(ref, place, proposal);
    const units = { byCode: (c: string): UnitInfo | undefined => { const u = ref.units.get(c); return u?.active ? { code: u.id, name: u.name, level: u.level, path: u.path } : undefined; } };
    const r = route({ category: { code: cat.id, name: cat.name, handling: cat.handling as Category['handling'], ...(cat.department ? { department: cat.department } : {}), coUnits: cat.coUnits as Category['coUnits'] }, location: loc, units });
    const placeMatters = r.rule.startsWith('territorial') || r.rule === 'sectoral-district' || r.rule === 'district';
    const confidence = placeMatters ? (loc.confidence ?? 0) : 1;
    proposal = { ...proposal, leadUnit: r.lead, coUnits: r.coUnits, explanation: [...proposal.explanation, `Open311 服务代码 ${cat.id}（${cat.name}）为类别`, ...r.explanation], needsReview: !r.lead || r.needsReview || confidence < args.threshold, confidence };
  }

  const name = [f.last_name?.trim(), f.first_name?.trim()].filter(Boolean).join('') || undefined;
  const input: RequestInput = {
    type,
    title,
    body,
    channel: 'open311',
    urgency,
    address,
    lat,
    lng,
    ...place,
    categoryCode: cat.id,
    contact: name || f.phone ? { name, phone: f.phone?.trim() } : undefined,
    dispatch: 'auto',
  };
  const res = await acceptRequest({ db, actor: principal.actor, input, idempotencyKey: args.idempotencyKey, proposal, now });
  const orderNo = res.order?.no ?? null;
  const state = res.order?.state ?? null;
  const notice = state === 'dispatched' ? `已受理并派单至${res.order?.leadUnit?.name ?? '承办单位'}` : state === 'pending_review' ? '已受理，待派单中心审核派单' : '已受理';
  return { serviceRequestId: orderNo, token: res.requestNo, orderId: res.orderId, state, serviceNotice: notice, accountId: f.account_id ?? null, replayed: res.replayed };
}
