/**
 * The column set of historical orders (历史工单导入), the same for CSV, xlsx and JSONL: English keys, with the
 * Chinese headings clerks' spreadsheets use as aliases. `checkRow` turns one source row into an import row or
 * the list of its problems (field, stable code, Chinese reason). See docs/exchange-bulk.md.
 */
import { parseBeijingTime } from '../../domain/deadline/index.js';
import { orderStateLabels, resolutionLabels, satisfactionLabels, type OrderState, type Resolution, type Satisfaction } from '../../domain/order/index.js';
import type { Reference } from '../reference/referenceCache.js';

export const importColumns = {
  sourceNo: { aliases: ['工单编号', '原工单编号', 'number', 'no'], required: true, label: '工单编号' },
  receivedAt: { aliases: ['受理时间', 'received_at'], required: true, label: '受理时间' },
  type: { aliases: ['诉求类型', '类型'], required: true, label: '诉求类型' },
  title: { aliases: ['标题'], required: true, label: '标题' },
  body: { aliases: ['诉求内容', '内容', 'text'], required: true, label: '诉求内容' },
  state: { aliases: ['状态', '工单状态'], required: true, label: '状态' },
  categoryCode: { aliases: ['类别编码', '分类编码', 'category'], required: false, label: '类别编码' },
  districtCode: { aliases: ['区编码', '区县编码'], required: false, label: '区编码' },
  streetCode: { aliases: ['街道编码', '街乡编码'], required: false, label: '街道编码' },
  communityCode: { aliases: ['社区编码'], required: false, label: '社区编码' },
  address: { aliases: ['地址', '事发地址'], required: false, label: '地址' },
  leadUnitCode: { aliases: ['主办单位编码', '承办单位编码'], required: false, label: '主办单位编码' },
  urgency: { aliases: ['紧急程度'], required: false, label: '紧急程度' },
  channel: { aliases: ['渠道', '来源渠道'], required: false, label: '渠道' },
  contactName: { aliases: ['联系人', '诉求人'], required: false, label: '联系人' },
  contactPhone: { aliases: ['联系电话'], required: false, label: '联系电话' },
  reply: { aliases: ['答复内容', '办理结果'], required: false, label: '答复内容' },
  repliedAt: { aliases: ['答复时间', '反馈时间'], required: false, label: '答复时间' },
  closedAt: { aliases: ['办结时间'], required: false, label: '办结时间' },
  resolution: { aliases: ['解决情况'], required: false, label: '解决情况' },
  satisfaction: { aliases: ['满意度', '满意情况'], required: false, label: '满意度' },
  followedUpAt: { aliases: ['回访时间'], required: false, label: '回访时间' },
} as const;
export type ImportColumn = keyof typeof importColumns;

/** Heading (any alias, any case) → column key; unknown headings → null. */
const byHeading = new Map<string, ImportColumn>(
  (Object.entries(importColumns) as [ImportColumn, { aliases: readonly string[] }][]).flatMap(([k, c]) => [[k.toLowerCase(), k] as const, ...c.aliases.map((a) => [a.toLowerCase(), k] as const)]),
);
export function columnOf(heading: string): ImportColumn | null {
  return byHeading.get(heading.trim().toLowerCase()) ?? null;
}

export const importableStates = ['dispatched', 'replied', 'followed_up', 'closed', 'terminated', 'invalid'] as const satisfies readonly OrderState[];
export type ImportableState = (typeof importableStates)[number];
const requestTypes = { consultation: '咨询', help: '求助', complaint: '投诉', report: '举报', suggestion: '建议', praise: '表扬' } as const;
const urgencies = { emergency: '紧急', utility: '水电气热', general: '一般', complex: '复杂' } as const;
const channelNames = ['hotline', 'web', 'h5', 'app', 'api', 'wechat', 'grid', 'sensor', 'video', 'open311'] as const;

export type ImportRow = {
  line: number;
  sourceNo: string;
  receivedAt: Date;
  type: keyof typeof requestTypes;
  title: string;
  body: string;
  state: ImportableState;
  categoryCode: string | null;
  districtId: string | null;
  streetId: string | null;
  communityId: string | null;
  address: string | null;
  leadUnit: { id: string; path: string } | null;
  urgency: keyof typeof urgencies;
  channel: string;
  contactName: string | null;
  contactPhone: string | null;
  reply: string | null;
  repliedAt: Date | null;
  closedAt: Date | null;
  resolution: Resolution | null;
  satisfaction: Satisfaction | null;
  followedUpAt: Date | null;
};

export type RowProblem = { field: string; code: string; reason: string };

/** Value by English key or label: `pick('投诉', requestTypes)` → 'complaint'. */
function pick<K extends string>(raw: string, table: Record<K, string>): K | null {
  const s = raw.trim();
  for (const [k, label] of Object.entries(table) as [K, string][]) if (s === k || s === label) return k;
  return null;
}

/** `YYYY-MM-DD[ HH:mm[:ss]]` is Beijing time; ISO with Z or an offset is an instant; a Date (xlsx) is taken as is. */
export function parseTime(v: unknown): Date | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v !== 'string') return null;
  return parseBeijingTime(v.replace(/\//g, '-'));
}

const asText = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return null;
  const s = v.trim();
  return s === '' ? null : s;
};

const limits: Partial<Record<ImportColumn, number>> = { sourceNo: 64, title: 200, body: 5000, address: 300, reply: 5000, contactName: 50, contactPhone: 20, categoryCode: 40, leadUnitCode: 40 };

/** One source row (keys already mapped to columns) → an import row, or its problems. */
export function checkRow(line: number, rec: Partial<Record<ImportColumn, unknown>>, ref: Reference, now: Date): ImportRow | RowProblem[] {
  const problems: RowProblem[] = [];
  const bad = (field: ImportColumn, code: string, reason: string) => problems.push({ field, code, reason: `${importColumns[field].label}：${reason}` });
  const text: Partial<Record<ImportColumn, string | null>> = {};
  for (const k of Object.keys(importColumns) as ImportColumn[]) {
    const v = rec[k];
    if (k.endsWith('At')) continue;
    const s = asText(v);
    if (v !== undefined && v !== null && v !== '' && s === null) bad(k, 'INVALID_TYPE', '应为文本');
    const max = limits[k];
    if (s && max && s.length > max) bad(k, 'TOO_LONG', `过长（最多 ${max} 字，实际 ${s.length} 字）`);
    text[k] = s;
    if (importColumns[k].required && !s) bad(k, 'REQUIRED', '必填');
  }
  const time = (k: 'receivedAt' | 'repliedAt' | 'closedAt' | 'followedUpAt') => {
    const v = rec[k];
    if (v === undefined || v === null || v === '') {
      if (importColumns[k].required) bad(k, 'REQUIRED', '必填');
      return null;
    }
    const d = parseTime(v);
    if (!d) bad(k, 'INVALID_TIME', '时间格式错误（应为 YYYY-MM-DD HH:mm[:ss] 北京时间，或带时区的 ISO 时间）');
    else if (d.getTime() > now.getTime()) bad(k, 'FUTURE_TIME', '不能晚于当前时间');
    return d;
  };
  const receivedAt = time('receivedAt');
  const repliedAt = time('repliedAt');
  const closedAt = time('closedAt');
  let followedUpAt = time('followedUpAt');

  const type = text.type ? pick(text.type, requestTypes) : null;
  if (text.type && !type) bad('type', 'INVALID_VALUE', `取值无效（可选：${Object.values(requestTypes).join('、')}）`);
  const state = text.state ? (pick(text.state, Object.fromEntries(importableStates.map((s) => [s, orderStateLabels[s]])) as Record<ImportableState, string>) ?? null) : null;
  if (text.state && !state) bad('state', 'INVALID_VALUE', `取值无效（可选：${importableStates.map((s) => orderStateLabels[s]).join('、')}）`);
  const urgency = text.urgency ? pick(text.urgency, urgencies) : 'general';
  if (!urgency) bad('urgency', 'INVALID_VALUE', `取值无效（可选：${Object.values(urgencies).join('、')}）`);
  const channel = text.channel ?? 'hotline';
  if (!(channelNames as readonly string[]).includes(channel)) bad('channel', 'INVALID_VALUE', `取值无效（可选：${channelNames.join('、')}）`);
  const resolution = text.resolution ? pick(text.resolution, resolutionLabels) : null;
  if (text.resolution && !resolution) bad('resolution', 'INVALID_VALUE', `取值无效（可选：${Object.values(resolutionLabels).join('、')}）`);
  const satisfaction = text.satisfaction ? pick(text.satisfaction, satisfactionLabels) : null;
  if (text.satisfaction && !satisfaction) bad('satisfaction', 'INVALID_VALUE', `取值无效（可选：${Object.values(satisfactionLabels).join('、')}）`);
  if (text.contactPhone && !/^[0-9+\-() ]{5,20}$/.test(text.contactPhone)) bad('contactPhone', 'INVALID_FORMAT', '电话号码格式错误');

  const unit = (k: 'districtCode' | 'streetCode' | 'communityCode' | 'leadUnitCode', level: string | null) => {
    const code = text[k];
    if (!code) return null;
    const u = ref.units.get(code);
    if (!u || !u.active || (level && u.level !== level)) {
      bad(k, 'UNKNOWN_CODE', `编码 ${code} 不存在${level ? `或不是${level === 'district' ? '区' : level === 'street' ? '街道/乡镇' : '社区/村'}` : '或已停用'}`);
      return null;
    }
    return u;
  };
  const d = unit('districtCode', 'district');
  const s = unit('streetCode', 'street');
  const c = unit('communityCode', 'community');
  const lead = unit('leadUnitCode', null);
  if (s && d && !s.path.startsWith(d.path)) bad('streetCode', 'INCONSISTENT', '街道不属于所填的区');
  if (c && s && !c.path.startsWith(s.path)) bad('communityCode', 'INCONSISTENT', '社区不属于所填的街道');
  if (text.categoryCode && !ref.categories.get(text.categoryCode)) bad('categoryCode', 'UNKNOWN_CODE', `类别 ${text.categoryCode} 不存在`);

  // What each state needs, and times in their order.
  if (state && state !== 'terminated' && state !== 'invalid' && !lead) bad('leadUnitCode', 'REQUIRED', `状态为「${orderStateLabels[state]}」时必填`);
  if ((state === 'replied' || state === 'followed_up' || state === 'closed') && !text.reply && state !== 'closed') bad('reply', 'REQUIRED', `状态为「${orderStateLabels[state]}」时必填`);
  if ((state === 'replied' || state === 'followed_up') && !repliedAt) bad('repliedAt', 'REQUIRED', `状态为「${orderStateLabels[state]}」时必填`);
  if (text.reply && !repliedAt && state !== 'closed') bad('repliedAt', 'REQUIRED', '有答复内容时必填');
  if (state === 'followed_up' && (!resolution || !satisfaction)) bad(resolution ? 'satisfaction' : 'resolution', 'REQUIRED', '状态为「已回访」时必填');
  if ((state === 'closed' || state === 'terminated' || state === 'invalid') && !closedAt) bad('closedAt', 'REQUIRED', `状态为「${orderStateLabels[state]}」时必填`);
  if (state && state !== 'closed' && state !== 'terminated' && state !== 'invalid' && closedAt) bad('closedAt', 'INCONSISTENT', '未办结的工单不能有办结时间');
  if ((resolution || satisfaction) && !(resolution && satisfaction)) bad(resolution ? 'satisfaction' : 'resolution', 'REQUIRED', '解决情况与满意度须同时填写');
  if (receivedAt && repliedAt && repliedAt < receivedAt) bad('repliedAt', 'INCONSISTENT', '早于受理时间');
  if (receivedAt && closedAt && closedAt < receivedAt) bad('closedAt', 'INCONSISTENT', '早于受理时间');
  if (repliedAt && closedAt && closedAt < repliedAt) bad('closedAt', 'INCONSISTENT', '早于答复时间');
  if (resolution && !followedUpAt) followedUpAt = closedAt ?? repliedAt;
  if (resolution && !followedUpAt) bad('followedUpAt', 'REQUIRED', '有回访结果时须有回访、答复或办结时间');

  if (problems.length || !receivedAt || !type || !state || !urgency || !text.sourceNo || !text.title || !text.body) return problems.length ? problems : [{ field: 'row', code: 'INVALID', reason: '行数据无效' }];
  const seg = (u: { path: string } | null, i: number) => (u ? (u.path.split('/').filter(Boolean)[i] ?? null) : null);
  const place = c ?? s ?? d;
  return {
    line,
    sourceNo: text.sourceNo,
    receivedAt,
    type,
    title: text.title,
    body: text.body,
    state,
    categoryCode: text.categoryCode ?? null,
    districtId: seg(place, 1),
    streetId: c || s ? seg(place, 2) : null,
    communityId: c?.id ?? null,
    address: text.address ?? null,
    leadUnit: lead ? { id: lead.id, path: lead.path } : null,
    urgency,
    channel,
    contactName: text.contactName ?? null,
    contactPhone: text.contactPhone ?? null,
    reply: text.reply ?? null,
    repliedAt: repliedAt ?? (text.reply && closedAt ? closedAt : null),
    closedAt,
    resolution,
    satisfaction,
    followedUpAt: resolution ? followedUpAt : null,
  };
}
