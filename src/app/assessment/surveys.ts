/**
 * 回访评价链接: the hotline issues a signed link for a replied order; the citizen opens it without signing in, sees
 * the reply (personal data masked) and rates it once. The rating is the lifecycle's own `follow_up` step, taken
 * through transitionOrder as the requester's citizen account when the request has one, else as the hotline's
 * survey channel (a phone request has no account) — so the reopen-on-unsatisfied policy applies as on a call.
 */
import { eq, inArray } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { maskNumbersInText, readSurveyToken, signSurveyToken, type SurveyClaim } from '../../domain/assessment/index.js';
import { DomainError, forbidden } from '../../domain/errors.js';
import { maskName } from '../../domain/masking.js';
import { resolutionLabels, resolutions, satisfactionLabels, satisfactions, type Resolution, type Satisfaction } from '../../domain/order/index.js';
import type { Db, DbOrTx } from '../../store/db.js';
import { orderEvents, orders, requests, units, users } from '../../store/schema/index.js';
import { actorOf } from '../auth/authenticate.js';
import { loadVisibleOrder } from '../orders/orderRecord.js';
import { systemActor, transitionOrder } from '../orders/transitionOrder.js';
import { getAssessmentPolicy } from './assessmentPolicy.js';
import { surveySecret } from './surveySecret.js';

export const surveyIssuerRoles = ['agent', 'dispatcher', 'supervisor'] as const;

/** The hotline's automatic survey, acting for a citizen who has no account; history shows it by this name. */
export const surveyActor: Actor = { ...systemActor, username: 'survey', displayName: '回访评价（市民）', role: 'agent' };

/** Where the web app shows a survey; the SMS carries the site's address in front of it. */
export const surveyPath = (token: string) => `/survey/${token}`;

/**
 * issueSurveyLink({ db, actor: agent, orderId, now }) → `{ token, path: '/survey/…', expiresAt }` for a replied order.
 * Recorded in the order's history (who issued it, until when).
 */
export async function issueSurveyLink(args: { db: Db; actor: Actor; orderId: string; now: Date }): Promise<{ orderId: string; no: string; token: string; path: string; expiresAt: string }> {
  const { db, actor, now } = args;
  if (!(surveyIssuerRoles as readonly string[]).includes(actor.role)) throw forbidden('只有热线人员可以发送回访评价链接');
  const policy = await getAssessmentPolicy(db);
  const secret = await surveySecret(db, db);
  return db.transaction(async (tx) => {
    const { row } = await loadVisibleOrder(tx, actor, args.orderId);
    if (row.state !== 'replied' || !row.repliedAt) throw new DomainError('ILLEGAL_TRANSITION', `工单${row.no}不在「已反馈」状态，无需评价`);
    const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + policy.surveyLinkDays * 86_400_000);
    const token = signSurveyToken({ orderId: row.id, repliedAt: row.repliedAt, expiresAt }, secret);
    await tx.insert(orderEvents).values({ orderId: row.id, at: now, type: 'survey_link', fromState: row.state, toState: row.state, actorId: actor.userId, actorName: actor.displayName, actorRole: actor.role, actorUnitId: actor.unitId, data: { expiresAt: expiresAt.toISOString() } });
    return { orderId: row.id, no: row.no, token, path: surveyPath(token), expiresAt: expiresAt.toISOString() };
  });
}

type OrderRow = typeof orders.$inferSelect;

/** Check a token and the order it names; the errors a citizen sees say what happened in plain Chinese. */
async function openToken(db: DbOrTx, token: string, now: Date): Promise<{ claim: SurveyClaim; row: OrderRow }> {
  const check = readSurveyToken(token, await surveySecret(db, db), now);
  if (!check.ok) {
    if (check.reason === 'expired') throw new DomainError('LINK_EXPIRED', '评价链接已过期，如需评价请拨打12345');
    throw new DomainError('LINK_INVALID', '评价链接无效，请核对短信中的链接');
  }
  const { claim } = check;
  const [row] = await db.select().from(orders).where(eq(orders.id, claim.orderId)).limit(1);
  if (!row) throw new DomainError('LINK_INVALID', '评价链接无效，请核对短信中的链接');
  const sameReply = row.repliedAt?.getTime() === claim.repliedAt.getTime();
  if (row.state === 'replied' && sameReply) return { claim, row };
  // Followed up since this reply (by this link, by phone, or in the portal): the reply is rated.
  if (row.lastFollowedUpAt && row.lastFollowedUpAt.getTime() >= claim.repliedAt.getTime()) throw new DomainError('LINK_USED', '该工单已完成评价，感谢您的反馈');
  throw new DomainError('LINK_INVALID', '该工单当前无需评价');
}

export type SurveyView = {
  no: string;
  title: string;
  unit: string | null;
  reply: { text: string; at: string };
  contactName: string | null;
  expiresAt: string;
  resolutions: { value: Resolution; label: string }[];
  satisfactions: { value: Satisfaction; label: string }[];
};

/** What the survey page shows: the order's number and title, the unit's reply and the choices, masked. */
export async function readSurvey(args: { db: Db; token: string; now: Date }): Promise<SurveyView> {
  const { claim, row } = await openToken(args.db, args.token, args.now);
  const [unit] = row.leadUnitId ? await args.db.select({ name: units.name }).from(units).where(eq(units.id, row.leadUnitId)).limit(1) : [];
  const [req] = await args.db.select({ name: requests.contactName }).from(requests).where(eq(requests.id, row.requestId)).limit(1);
  return {
    no: row.no,
    title: maskNumbersInText(row.title),
    unit: unit?.name ?? null,
    reply: { text: maskNumbersInText(row.replyText ?? ''), at: claim.repliedAt.toISOString() },
    contactName: maskName(req?.name ?? null),
    expiresAt: claim.expiresAt.toISOString(),
    // 未评价 is what the hotline records when nobody answers; a citizen who opens the link answers.
    resolutions: resolutions.map((value) => ({ value, label: resolutionLabels[value] })),
    satisfactions: satisfactions.filter((s) => s !== 'no_answer').map((value) => ({ value, label: satisfactionLabels[value] })),
  };
}

/** The requester acting on their own order: their citizen account if the request was filed with one. */
async function respondentOf(db: DbOrTx, orderId: string): Promise<Actor> {
  const reqs = await db.select({ userId: requests.citizenUserId }).from(requests).where(eq(requests.orderId, orderId));
  const ids = reqs.map((r) => r.userId).filter((x): x is string => !!x);
  if (ids.length === 0) return surveyActor;
  const [user] = await db.select().from(users).where(inArray(users.id, ids)).limit(1);
  return user && user.active && user.role === 'citizen' ? actorOf(user, null) : surveyActor;
}

export type SurveyAnswer = { resolution: Resolution; satisfaction: Exclude<Satisfaction, 'no_answer'>; note?: string };

/**
 * answerSurvey({ db, token, answer: { resolution: 'resolved', satisfaction: 'satisfied' }, now }) → the order's new
 * state: `followed_up`, or `dispatched` when policy reopened it (unresolved and unsatisfied). One time only.
 */
export async function answerSurvey(args: { db: Db; token: string; answer: SurveyAnswer; now: Date }): Promise<{ no: string; state: string; reopened: boolean }> {
  const { db, now } = args;
  const note = args.answer.note?.trim();
  const input = { action: 'follow_up' as const, resolution: args.answer.resolution, satisfaction: args.answer.satisfaction, ...(note ? { note } : {}) };
  for (let attempt = 0; ; attempt++) {
    // Checked afresh on every try: a second submit, or a call-back that got there first, finds the reply rated.
    const { row } = await openToken(db, args.token, now);
    const actor = await respondentOf(db, row.id);
    try {
      const res = await transitionOrder({ db, actor, orderId: row.id, version: row.version, input, now });
      return { no: row.no, state: res.state, reopened: res.state !== 'followed_up' };
    } catch (err) {
      // Someone else changed the order (a comment, say) between our read and our step: read again, once.
      if (attempt === 0 && err instanceof DomainError && err.code === 'VERSION_CONFLICT') continue;
      throw err;
    }
  }
}
