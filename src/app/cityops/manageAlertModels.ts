/** 预警模型管理: administrators define, change and switch off alert models without code; every change is audited. */
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden, invalid } from '../../domain/errors.js';
import { recoveryModes, ruleKindLabels, severityLabels, sourceTypeLabels, validateModel, type ModelScope, type RuleKind, type Severity, type SourceType } from '../../domain/alarm/index.js';
import type { Db, DbOrTx, Tx } from '../../store/db.js';
import { alertModels, categories, gridCells } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import type { AlertModelRow } from './alertModels.js';

export type AlertModelInput = {
  name: string;
  description?: string | undefined;
  kind: RuleKind;
  sourceType: SourceType;
  scope: ModelScope;
  params: Record<string, unknown>;
  /** When its alarm clears by itself (`{ minutes, value? }`); null or absent: only a person clears it. */
  recovery?: Record<string, unknown> | null | undefined;
  severity: Severity;
  autoDispatch: boolean;
  categoryCode?: string | null | undefined;
  active: boolean;
};

export function presentModel(m: AlertModelRow) {
  return {
    id: m.id,
    name: m.name,
    description: m.description,
    kind: m.kind,
    kindLabel: ruleKindLabels[m.kind as RuleKind] ?? m.kind,
    sourceType: m.sourceType,
    sourceTypeLabel: sourceTypeLabels[m.sourceType as SourceType] ?? m.sourceType,
    scope: m.scope,
    params: m.params,
    recovery: m.recovery ?? null,
    recoveryMode: recoveryModes[m.kind as RuleKind] ?? null,
    severity: m.severity,
    severityLabel: severityLabels[m.severity as Severity] ?? m.severity,
    autoDispatch: m.autoDispatch,
    categoryCode: m.categoryId,
    active: m.active,
    version: m.version,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

function requireAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw forbidden('只有管理员可以维护预警模型');
}

/** Validate the rule (kind, parameters), the category and the fence's grid cells; returns what to store. */
async function checked(tx: DbOrTx, input: AlertModelInput): Promise<Omit<typeof alertModels.$inferInsert, 'createdAt' | 'updatedAt'>> {
  const { params, recovery } = validateModel({ kind: input.kind, sourceType: input.sourceType, params: input.params, scope: input.scope, recovery: input.recovery });
  if (params.kind === 'geofence' && params.gridIds?.length) {
    const found = new Set((await tx.select({ id: gridCells.id }).from(gridCells).where(inArray(gridCells.id, params.gridIds))).map((g) => g.id));
    const missing = params.gridIds.filter((g) => !found.has(g));
    if (missing.length) throw invalid('params.gridIds', `网格不存在：${missing.join('、')}`);
  }
  if (input.categoryCode) {
    const [cat] = await tx.select({ active: categories.active }).from(categories).where(eq(categories.id, input.categoryCode));
    if (!cat?.active) throw invalid('categoryCode', '目录不存在或已停用');
  }
  if (input.autoDispatch && input.sourceType === 'external' && !input.categoryCode) throw invalid('categoryCode', '自动立案的到期提醒须指定派单目录');
  const { kind: _kind, ...stored } = params;
  return {
    name: input.name,
    description: input.description ?? '',
    kind: input.kind,
    sourceType: input.sourceType,
    scope: input.scope,
    params: stored,
    recovery,
    severity: input.severity,
    autoDispatch: input.autoDispatch,
    categoryId: input.categoryCode ?? null,
    active: input.active,
  };
}

/** createAlertModel({ db, actor: admin, input, now }) → the stored model (audited `alert_model.create`). */
export async function createAlertModel(args: { db: Db; actor: Actor; input: AlertModelInput; now: Date; ip?: string | null }) {
  const { db, actor, now } = args;
  requireAdmin(actor);
  return db.transaction(async (tx) => {
    const values = await checked(tx, args.input);
    const [row] = await tx.insert(alertModels).values({ ...values, createdBy: actor.userId, createdAt: now, updatedAt: now }).returning();
    if (!row) throw new DomainError('INTERNAL', '预警模型未能保存');
    await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.displayName, action: 'alert_model.create', targetType: 'alert_model', targetId: row.id, detail: { model: presentModel(row) }, ip: args.ip ?? null });
    return presentModel(row);
  });
}

/** updateAlertModel: the whole definition replaced, guarded by `version` (409 when stale); audited with before/after. */
export async function updateAlertModel(args: { db: Db; actor: Actor; modelId: string; version: number; input: AlertModelInput; now: Date; ip?: string | null }) {
  const { db, actor, now } = args;
  requireAdmin(actor);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(args.modelId)) throw new DomainError('NOT_FOUND', '预警模型不存在');
  return db.transaction(async (tx: Tx) => {
    const [before] = await tx.select().from(alertModels).where(eq(alertModels.id, args.modelId)).for('update');
    if (!before) throw new DomainError('NOT_FOUND', '预警模型不存在');
    if (before.version !== args.version) throw new DomainError('VERSION_CONFLICT', '预警模型已被他人修改，请刷新后重试');
    const values = await checked(tx, args.input);
    const [row] = await tx.update(alertModels).set({ ...values, version: before.version + 1, updatedAt: now }).where(eq(alertModels.id, before.id)).returning();
    if (!row) throw new DomainError('INTERNAL', '预警模型未能保存');
    // A changed rule starts from a clean slate: old windows and durations belong to the old definition.
    if (before.kind !== row.kind || JSON.stringify(before.params) !== JSON.stringify(row.params)) {
      await tx.execute(sqlDeleteStates(row.id));
    }
    await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.displayName, action: 'alert_model.update', targetType: 'alert_model', targetId: row.id, detail: { before: presentModel(before), after: presentModel(row) }, ip: args.ip ?? null });
    return presentModel(row);
  });
}

const sqlDeleteStates = (modelId: string) => sql`DELETE FROM alert_model_states WHERE model_id = ${modelId}`;

/** Models for staff who read alarms (all of them; models are city-wide definitions). */
export async function listAlertModels(args: { db: DbOrTx; actor: Actor }) {
  if (args.actor.role === 'citizen') throw forbidden();
  const rows = await args.db.select().from(alertModels).orderBy(asc(alertModels.createdAt));
  return rows.map(presentModel);
}
