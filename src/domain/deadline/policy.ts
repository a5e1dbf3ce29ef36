/**
 * Deadline policies are data: an administrator edits them (and the API validates them with the schema below)
 * without a code change. The defaults follow DOMAIN.md "Deadlines".
 */
import { z } from 'zod';
import { DomainError } from '../errors.js';
import type { FieldProblem } from '../errors.js';

export const DURATION_UNITS = ['minutes', 'hours', 'calendar_days', 'working_days'] as const;
/** `minutes`, `hours`, `calendar_days` are elapsed time (nights and holidays count); `working_days` follow a calendar. */
export type DurationUnit = (typeof DURATION_UNITS)[number];
export type Duration = { amount: number; unit: DurationUnit };

export const URGENCIES = ['emergency', 'utility', 'general', 'complex'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const CLOCK_KINDS = ['sign', 'response', 'reply'] as const;
/** 签收 sign, 响应 first response (citizen contacted), 答复 reply (the unit's result). */
export type ClockKind = (typeof CLOCK_KINDS)[number];

/** Warn this long before the due instant, or when this share of the allowed span is left. */
export type WarnBefore = Duration | { fraction: number };

export type DeadlinePolicy = {
  /** Stable identifier, e.g. `general`. */
  code: string;
  /** Shown to people, e.g. `一般诉求`. */
  name: string;
  urgency: Urgency;
  clocks: { sign?: Duration; response?: Duration; reply: Duration };
  warnBefore: WarnBefore;
  /** Order states in which running clocks pause, e.g. `extension_pending` (延期审核中). */
  pauseStates: string[];
};

export const UNIT_LABELS: Record<DurationUnit, string> = {
  minutes: '分钟',
  hours: '小时',
  calendar_days: '自然日',
  working_days: '工作日',
};

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * A duration's length in milliseconds, counting a working day as one calendar day. Only for comparing policies:
 * a working-day clock's real length depends on the calendar and the start.
 * @example nominalMs({ amount: 2, unit: 'hours' }) // 7_200_000
 */
export function nominalMs(d: Duration): number {
  switch (d.unit) {
    case 'minutes':
      return d.amount * MINUTE_MS;
    case 'hours':
      return d.amount * HOUR_MS;
    case 'calendar_days':
    case 'working_days':
      return d.amount * DAY_MS;
  }
}

/** `{ amount: 7, unit: 'working_days' }` → `7个工作日`. */
export function formatDuration(d: Duration): string {
  const measure = d.unit === 'working_days' || d.unit === 'calendar_days' ? '个' : '';
  return `${d.amount}${measure}${UNIT_LABELS[d.unit]}`;
}

const MAX_NOMINAL_MS = 366 * DAY_MS;
const CODE = /^[a-z][a-z0-9_-]{0,39}$/;

/** A duration: positive amount, a known unit; whole numbers except for hours; at most a year (typo guard). */
export const durationSchema = z
  .strictObject(
    {
      amount: z.number({ error: '时长必须是数字' }).positive({ error: '时长必须大于 0' }),
      unit: z.enum(DURATION_UNITS, { error: '时间单位未知，应为 minutes、hours、calendar_days 或 working_days' }),
    },
    { error: '时长应为 { amount, unit }' },
  )
  .superRefine((d, ctx) => {
    // Half a working day has no meaning in a count of whole days, and sub-minute precision none in a policy.
    if (d.unit !== 'hours' && !Number.isInteger(d.amount)) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: `以${UNIT_LABELS[d.unit]}计的时长必须是整数` });
    }
    if (nominalMs(d) > MAX_NOMINAL_MS) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: '时长不能超过一年' });
    }
  });

export const warnBeforeSchema = z.union(
  [
    durationSchema,
    z.strictObject({
      fraction: z
        .number({ error: '预警比例必须是数字' })
        .gt(0, { error: '预警比例必须大于 0' })
        .lt(1, { error: '预警比例必须小于 1' }),
    }),
  ],
  { error: '预警设置应为时长（amount、unit）或比例（fraction）' },
);

/** The policy schema, exported so the HTTP edge validates with the same rules and the same Chinese messages. */
export const deadlinePolicySchema = z
  .strictObject(
    {
      code: z
        .string({ error: '编码必须是字符串' })
        .regex(CODE, { error: '编码须以小写字母开头，只含小写字母、数字、下划线或连字符，最长 40 个字符' }),
      name: z
        .string({ error: '名称必须是字符串' })
        .trim()
        .min(1, { error: '名称不能为空' })
        .max(50, { error: '名称不能超过 50 个字' }),
      urgency: z.enum(URGENCIES, { error: '紧急程度未知，应为 emergency、utility、general 或 complex' }),
      clocks: z.strictObject(
        {
          sign: durationSchema.optional(),
          response: durationSchema.optional(),
          reply: durationSchema,
        },
        { error: '必须设置时限（clocks）' },
      ),
      warnBefore: warnBeforeSchema,
      pauseStates: z
        .array(
          z.string({ error: '暂停状态编码必须是字符串' }).regex(CODE, { error: '暂停状态编码格式不正确' }),
          { error: '暂停状态必须是列表' },
        )
        .default(['extension_pending']),
    },
    { error: '时限策略应为对象' },
  )
  .superRefine((p, ctx) => {
    // Signing comes before contacting the citizen, and contacting before the reply.
    const { sign, response, reply } = p.clocks;
    if (sign && response && nominalMs(sign) > nominalMs(response)) {
      ctx.addIssue({ code: 'custom', path: ['clocks', 'sign'], message: '签收时限不能长于响应时限' });
    }
    const beforeReply = response ?? sign;
    if (beforeReply && nominalMs(beforeReply) > nominalMs(reply)) {
      ctx.addIssue({
        code: 'custom',
        path: ['clocks', response ? 'response' : 'sign'],
        message: `${response ? '响应' : '签收'}时限不能长于答复时限`,
      });
    }
    if (new Set(p.pauseStates).size !== p.pauseStates.length) {
      ctx.addIssue({ code: 'custom', path: ['pauseStates'], message: '暂停状态不能重复' });
    }
  });

// The schema must describe exactly the hand-written type; a drift fails the type check here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _schemaMatchesType: Same<z.output<typeof deadlinePolicySchema>, DeadlinePolicy> = true;
void _schemaMatchesType;

/**
 * Problems in a candidate policy, with Chinese reasons; empty when it is valid.
 * @example validateDeadlinePolicy({}) // [{ field: 'code', reason: '编码必须是字符串' }, …]
 */
export function validateDeadlinePolicy(input: unknown): FieldProblem[] {
  const result = deadlinePolicySchema.safeParse(input, CHINESE_FALLBACK);
  return result.success ? [] : toProblems(result.error);
}

/**
 * A valid policy or a `VALIDATION_FAILED` domain error listing every problem.
 * @example
 * parseDeadlinePolicy({ code: 'general', name: '一般诉求', urgency: 'general',
 *   clocks: { reply: { amount: 7, unit: 'working_days' } }, warnBefore: { fraction: 0.2 } })
 */
export function parseDeadlinePolicy(input: unknown): DeadlinePolicy {
  const result = deadlinePolicySchema.safeParse(input, CHINESE_FALLBACK);
  if (result.success) return result.data;
  const fields = toProblems(result.error);
  const summary = fields.map((f) => `${f.field}：${f.reason}`).join('；');
  throw new DomainError('VALIDATION_FAILED', `时限策略无效：${summary}`, fields);
}

// Messages the schema does not set itself come from zod's Chinese locale rather than English.
const CHINESE_FALLBACK = { error: z.locales.zhCN().localeError };

function toProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    // One problem per unknown key, named by its own path, so a form can point at it.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...at, key].join('.'), reason: '未知字段' }));
    }
    return [{ field: at.join('.') || '(policy)', reason: issue.message }];
  });
}

/**
 * The defaults. Elapsed units run through nights and holidays; only `working_days` follow the calendar.
 * - emergency: no separate sign clock — the one duty is first feedback (联系诉求人) within 2 h per DOMAIN.md, so the
 *   supervisor is warned at 1 h and the order is overdue and escalated at 2 h (journey 5); reply in 24 h: the hazard is
 *   contained at the response and the written result follows within a day, holidays included. Warn at half time,
 *   so the 2-hour response warns at 1 hour (journey 5).
 * - utility (水电气热): sign 1 h and respond 4 h because an outage hits many households at once; reply in 24 h.
 * - general: sign 2 h, respond 24 h (Beijing signs around the clock and calls back within a day), reply 7 working days.
 * - complex: as general, reply 15 working days.
 * Non-emergencies warn with a fifth of the span left (at least 15 min, or one working day for day clocks).
 */
export const DEFAULT_POLICIES: readonly DeadlinePolicy[] = [
  {
    code: 'emergency',
    name: '紧急诉求',
    urgency: 'emergency',
    clocks: {
      response: { amount: 2, unit: 'hours' },
      reply: { amount: 24, unit: 'hours' },
    },
    warnBefore: { fraction: 0.5 },
    pauseStates: ['extension_pending'],
  },
  {
    code: 'utility',
    name: '水电气热诉求',
    urgency: 'utility',
    clocks: {
      sign: { amount: 1, unit: 'hours' },
      response: { amount: 4, unit: 'hours' },
      reply: { amount: 24, unit: 'hours' },
    },
    warnBefore: { fraction: 0.2 },
    pauseStates: ['extension_pending'],
  },
  {
    code: 'general',
    name: '一般诉求',
    urgency: 'general',
    clocks: {
      sign: { amount: 2, unit: 'hours' },
      response: { amount: 24, unit: 'hours' },
      reply: { amount: 7, unit: 'working_days' },
    },
    warnBefore: { fraction: 0.2 },
    pauseStates: ['extension_pending'],
  },
  {
    code: 'complex',
    name: '复杂诉求',
    urgency: 'complex',
    clocks: {
      sign: { amount: 2, unit: 'hours' },
      response: { amount: 24, unit: 'hours' },
      reply: { amount: 15, unit: 'working_days' },
    },
    warnBefore: { fraction: 0.2 },
    pauseStates: ['extension_pending'],
  },
];

/**
 * The policy for an urgency among `policies` (the defaults unless an operator configured others).
 * @example policyForUrgency('general').clocks.reply // { amount: 7, unit: 'working_days' }
 */
export function policyForUrgency(urgency: Urgency, policies: readonly DeadlinePolicy[] = DEFAULT_POLICIES): DeadlinePolicy {
  const found = policies.find((p) => p.urgency === urgency);
  if (!found) throw new DomainError('NOT_FOUND', `没有紧急程度为 ${urgency} 的时限策略`);
  return found;
}
