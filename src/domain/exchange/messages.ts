/**
 * The platform exchange interface, version 1 (省市平台对接 v1): the envelope every message travels in and the three
 * kinds of message, as zod schemas that refuse unknown keys, so a peer speaking another shape gets a clear error
 * instead of a half-understood order. Field meanings and the mapping rules are in docs/exchange-bulk.md.
 *
 * @example
 * const parsed = parseExchangeMessage(JSON.parse(text)); // → { ok: true, message } | { ok: false, problems }
 */
import { z } from 'zod';

export const EXCHANGE_VERSION = '1';

export const exchangeKinds = ['order.create', 'order.status', 'indicators'] as const;
export type ExchangeKind = (typeof exchangeKinds)[number];

/** Order statuses as peers see them: coarser than our states, shared by every platform speaking v1. */
export const exchangeStatuses = ['accepted', 'dispatched', 'handling', 'replied', 'followed_up', 'closed', 'terminated', 'invalid'] as const;
export type ExchangeStatus = (typeof exchangeStatuses)[number];

export const exchangeStatusLabels: Record<ExchangeStatus, string> = {
  accepted: '已受理',
  dispatched: '已派单',
  handling: '办理中',
  replied: '已答复',
  followed_up: '已回访',
  closed: '已办结',
  terminated: '已终止',
  invalid: '无效',
};

/** GB/T 2260 division codes (6 digits) and their street/community extensions (9 and 12 digits) are the same on every platform. */
const divisionCode = z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, '应为国标行政区划代码（6、9 或 12 位数字）');
const instant = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().trim().min(1).max(max);

export const platformRef = z.strictObject({ code: divisionCode, name: text(100) });

export const orderCreateBody = z.strictObject({
  /** The sender's order number: the key status messages come back with. */
  orderNo: text(64),
  type: z.enum(['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise']),
  title: text(200),
  body: text(5000),
  urgency: z.enum(['emergency', 'utility', 'general', 'complex']),
  acceptedAt: instant,
  categoryCode: z.string().trim().min(1).max(40).optional(),
  districtCode: divisionCode.optional(),
  streetCode: divisionCode.optional(),
  communityCode: divisionCode.optional(),
  address: z.string().trim().max(300).optional(),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
  contact: z.strictObject({ name: z.string().trim().max(50).optional(), phone: z.string().trim().regex(/^[0-9+\-() ]{5,20}$/, '电话号码格式错误').optional() }).optional(),
  /** Why it is sent (上报/下派 reason). */
  note: z.string().trim().max(1000).optional(),
});
export type OrderCreateBody = z.infer<typeof orderCreateBody>;

export const orderStatusBody = z.strictObject({
  /** The sender's own order number (the one handling it). */
  orderNo: text(64),
  /** The receiver's order number, as it arrived in order.create. */
  peerOrderNo: text(64),
  /** Increases with every status of this order; a lower or equal one is older news and changes nothing. */
  seq: z.number().int().min(1),
  status: z.enum(exchangeStatuses),
  at: instant,
  reply: z.strictObject({ text: text(5000), at: instant }).optional(),
  followUp: z.strictObject({ resolution: z.enum(['resolved', 'partly', 'unresolved']), satisfaction: z.enum(['satisfied', 'basic', 'unsatisfied', 'no_answer']) }).optional(),
  note: z.string().trim().max(1000).optional(),
});
export type OrderStatusBody = z.infer<typeof orderStatusBody>;

const rate = z.number().min(0).max(1).nullable();
export const indicatorsBody = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '应为 YYYY-MM'),
  asOf: instant,
  /** Orders accepted in the month, per current state (our state names), and their total. */
  accepted: z.number().int().min(0),
  byStatus: z.record(z.enum(exchangeStatuses), z.number().int().min(0)),
  overdue: z.number().int().min(0),
  rates: z.strictObject({ responseRate: rate, resolutionRate: rate, satisfactionRate: rate, score: z.number().min(0).max(100).nullable() }),
});
export type IndicatorsBody = z.infer<typeof indicatorsBody>;

const envelopeBase = { version: z.literal(EXCHANGE_VERSION), messageId: z.string().regex(/^[A-Za-z0-9._:-]{8,100}$/, '应为 8–100 位字母、数字或 ._:-'), sentAt: instant, from: platformRef };

export const exchangeMessage = z.discriminatedUnion('kind', [
  z.strictObject({ ...envelopeBase, kind: z.literal('order.create'), body: orderCreateBody }),
  z.strictObject({ ...envelopeBase, kind: z.literal('order.status'), body: orderStatusBody }),
  z.strictObject({ ...envelopeBase, kind: z.literal('indicators'), body: indicatorsBody }),
]);
export type ExchangeMessage = z.infer<typeof exchangeMessage>;

export type MessageProblem = { field: string; reason: string };

/** Check a message against v1: every problem with its path (`body.title`) and a Chinese reason. */
export function parseExchangeMessage(value: unknown): { ok: true; message: ExchangeMessage } | { ok: false; problems: MessageProblem[] } {
  if (value && typeof value === 'object' && 'version' in value && value.version !== EXCHANGE_VERSION) {
    return { ok: false, problems: [{ field: 'version', reason: `不支持的接口版本 ${JSON.stringify(value.version)}（支持 ${EXCHANGE_VERSION}）` }] };
  }
  const r = exchangeMessage.safeParse(value);
  if (r.success) return { ok: true, message: r.data };
  return { ok: false, problems: r.error.issues.map((i) => ({ field: i.path.join('.') || 'message', reason: reasonOf(i) })) };
}

function reasonOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? '必填' : `类型错误（应为 ${issue.expected}）`;
    case 'too_big':
      return `过长或过大（最大 ${String(issue.maximum)}）`;
    case 'too_small':
      return `过短或过小（最小 ${String(issue.minimum)}）`;
    case 'unrecognized_keys':
      return `未知字段：${issue.keys.join('、')}`;
    case 'invalid_value':
      return `取值无效（可选：${issue.values.map(String).join('、')}）`;
    case 'invalid_union':
      return 'kind 无效（可选：order.create、order.status、indicators）';
    case 'invalid_format':
      return issue.message && !issue.message.startsWith('Invalid') ? issue.message : `格式错误（应为 ${issue.format}）`;
    default:
      return issue.message;
  }
}
