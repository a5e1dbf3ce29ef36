/**
 * The assessment policy (考核规则): how the three rates weigh in the composite score and how partial answers count.
 * Policy, not code: an administrator changes it (settings row); the defaults follow DOMAIN.md.
 */
import { z } from 'zod';
import { DomainError } from '../errors.js';

export type AssessmentPolicy = {
  /** Weights of the composite score in percent; they add up to 100. Beijing weighs resolution and satisfaction far above response. */
  weights: { response: number; resolution: number; satisfaction: number };
  /** How much a 部分解决 answer counts towards the resolution rate (0 … 1); DOMAIN.md counts only 解决. */
  partlyResolvedCredit: number;
  /** How much a 基本满意 answer counts towards the satisfaction rate (0 … 1); DOMAIN.md: "may count partly". */
  basicSatisfiedCredit: number;
  /** 回访 is due this many working days after the unit's reply. */
  followUpWorkingDays: number;
  /** A citizen's survey link expires this many days after it is issued. */
  surveyLinkDays: number;
  /** The monthly job freezes a month's figures (关账) this many days after the month ends. */
  closeAfterDays: number;
  /** The worst this many ranked units of a table are marked for 治理类 attention. */
  attentionCount: number;
};

export const DEFAULT_ASSESSMENT_POLICY: AssessmentPolicy = {
  weights: { response: 10, resolution: 45, satisfaction: 45 },
  partlyResolvedCredit: 0,
  basicSatisfiedCredit: 0.8,
  followUpWorkingDays: 2,
  surveyLinkDays: 7,
  closeAfterDays: 5,
  attentionCount: 10,
};

const share = (label: string) => z.number({ error: `${label}必须是数字` }).min(0, { error: `${label}不能小于 0` }).max(1, { error: `${label}不能大于 1` });
const weight = (label: string) => z.number({ error: `${label}权重必须是数字` }).min(0, { error: `${label}权重不能小于 0` }).max(100, { error: `${label}权重不能大于 100` });
const whole = (label: string, min: number, max: number) =>
  z.number({ error: `${label}必须是数字` }).int({ error: `${label}必须是整数` }).min(min, { error: `${label}不能小于 ${min}` }).max(max, { error: `${label}不能大于 ${max}` });

/** The policy schema, shared by the HTTP edge and the settings reader, with Chinese messages. */
export const assessmentPolicySchema = z
  .strictObject({
    weights: z.strictObject({ response: weight('响应率'), resolution: weight('解决率'), satisfaction: weight('满意率') }),
    partlyResolvedCredit: share('部分解决折算'),
    basicSatisfiedCredit: share('基本满意折算'),
    followUpWorkingDays: whole('回访时限（工作日）', 0, 30),
    surveyLinkDays: whole('评价链接有效期（天）', 1, 90),
    closeAfterDays: whole('关账日（月后天数）', 0, 28),
    attentionCount: whole('重点关注名额', 0, 343),
  })
  .superRefine((p, ctx) => {
    const sum = p.weights.response + p.weights.resolution + p.weights.satisfaction;
    if (Math.abs(sum - 100) > 1e-9) ctx.addIssue({ code: 'custom', path: ['weights'], message: `三率权重之和须为 100（现为 ${sum}）` });
  });

/**
 * Check a policy an administrator sent (or a stored one); refuses with every problem named.
 * @example parseAssessmentPolicy({ ...DEFAULT_ASSESSMENT_POLICY, weights: { response: 30, resolution: 35, satisfaction: 35 } })
 */
export function parseAssessmentPolicy(raw: unknown): AssessmentPolicy {
  const r = assessmentPolicySchema.safeParse(raw);
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => ({ field: i.path.join('.') || 'policy', reason: i.message }));
  throw new DomainError('VALIDATION_FAILED', `考核规则有误：${fields.map((f) => f.reason).join('；')}`, fields);
}
