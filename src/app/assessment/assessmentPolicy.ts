/** The assessment policy (weights, credits, link and closing days): defaults from DOMAIN.md, changed by an administrator. */
import { eq } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DEFAULT_ASSESSMENT_POLICY, parseAssessmentPolicy, type AssessmentPolicy } from '../../domain/assessment/index.js';
import type { Db, DbOrTx } from '../../store/db.js';
import { settings } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';

const KEY = 'assessment_policy';

export async function getAssessmentPolicy(db: DbOrTx): Promise<AssessmentPolicy> {
  const [row] = await db.select().from(settings).where(eq(settings.key, KEY)).limit(1);
  return row ? parseAssessmentPolicy(row.value) : DEFAULT_ASSESSMENT_POLICY;
}

/** Replace the policy (validated), audited with before and after. Closed months keep the policy they were closed with. */
export async function setAssessmentPolicy(args: { db: Db; actor: Actor; policy: unknown; now: Date }): Promise<AssessmentPolicy> {
  const policy = parseAssessmentPolicy(args.policy);
  await args.db.transaction(async (tx) => {
    const before = await getAssessmentPolicy(tx);
    await tx.insert(settings).values({ key: KEY, value: policy, updatedAt: args.now }).onConflictDoUpdate({ target: settings.key, set: { value: policy, updatedAt: args.now } });
    await appendAudit(tx, { at: args.now, actorId: args.actor.userId, actorName: args.actor.username, action: 'assessment.policy.update', targetType: 'settings', targetId: KEY, detail: { before, after: policy } });
  });
  return policy;
}
