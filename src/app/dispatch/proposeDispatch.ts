/**
 * Intelligent dispatch (智能派单): classify, refine within the branch, locate, route, find likely repeats and
 * knowledge answers — one proposal a dispatcher can read, in milliseconds. Reference data the models need (units,
 * the editable catalogue) come from the shared reference cache (app/reference), dropped on every catalogue edit.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel, type Model } from '../../intelligence/classify/model.js';
import { refineCategory, searchCategoriesByKeywords } from '../../intelligence/classify/refine.js';
import { locate } from '../../intelligence/locate/locate.js';
import { route, type UnitInfo } from '../../intelligence/route/route.js';
import { findRepeats } from '../../intelligence/similar/similar.js';
import type { Category } from '../../store/reference/index.js';
import type { Db } from '../../store/db.js';
import { searchKnowledge } from '../knowledge/searchKnowledge.js';
import { getReference } from '../reference/referenceCache.js';
import { repeatCandidates, signatureOf } from './repeatCandidates.js';
import type { Proposal, ProposalInput } from './proposal.js';

export const defaultModelFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../models/classifier.jiesu.gz');


export type DispatchAdvisor = (input: ProposalInput) => Promise<Proposal>;

/** createDispatchAdvisor({ db }) → propose({ title, body, address }) → Proposal */
export function createDispatchAdvisor(args: { db: Db; modelFile?: string; threshold?: number; now?: () => Date }): DispatchAdvisor {
  const { db } = args;
  const threshold = args.threshold ?? 0.6;
  const now = args.now ?? (() => new Date());
  const file = args.modelFile ?? defaultModelFile;
  // A missing model leaves classification to the catalogue's keywords: intake keeps working, with review.
  const model: Model | null = existsSync(file) ? loadModel(file) : null;
  // The catalogue as the models read it, rebuilt only when the cached reference is reloaded.
  let catalogueOf: { loadedAt: number; value: Category[] } | null = null;
  const reference = async () => {
    const ref = await getReference(db);
    if (catalogueOf?.loadedAt !== ref.loadedAt) {
      const value = [...ref.categories.values()]
        .filter((c) => c.active)
        .map((c) => ({
          code: c.id,
          name: c.name,
          ...(c.parentId ? { parent: c.parentId } : {}),
          handling: c.handling as Category['handling'],
          ...(c.department ? { department: c.department } : {}),
          coUnits: c.coUnits as Category['coUnits'],
          urgency: c.urgency as Category['urgency'],
          keywords: c.keywords,
        }));
      catalogueOf = { loadedAt: ref.loadedAt, value };
      return { units: ref.units, cats: value };
    }
    return { units: ref.units, cats: catalogueOf.value };
  };

  return async (input) => {
    const { units: um, cats } = await reference();
    const text = { title: input.title, body: input.body };
    const explanation: string[] = [];
    const cls = model ? model.classify(text) : null;
    let refined: ReturnType<typeof refineCategory> | null = null;
    if (cls) {
      refined = refineCategory({ ...text, top: cls.label, confidence: cls.confidence, categories: cats });
      explanation.push(`分类模型：「${cls.label}」置信度 ${(cls.confidence * 100).toFixed(0)}%${cls.evidence.length ? `（依据：${cls.evidence.slice(0, 5).join('、')}）` : ''}`);
      explanation.push(refined.reason);
    } else {
      const hit = searchCategoriesByKeywords(text, cats)[0];
      if (hit) {
        refined = { ...hit, alternatives: [], overridden: false, reason: `目录关键词：${hit.matchedKeywords.join('、')}` };
        explanation.push(refined.reason);
      }
    }
    const loc = locate({ title: input.title, body: input.body, address: input.address ?? null, lat: input.lat ?? null, lng: input.lng ?? null });
    explanation.push(...loc.evidence);
    const category = refined?.category ?? null;
    const r = category ? route({ category, location: loc, units: { byCode: (c): UnitInfo | undefined => { const u = um.get(c); return u?.active ? { code: u.id, name: u.name, level: u.level, path: u.path } : undefined; } } }) : null;
    if (r) explanation.push(...r.explanation);
    // Confidence: the classifier's, lowered when the place decides the unit and is uncertain.
    const catConfidence = cls ? (refined?.overridden ? Math.min(0.9, 0.5 + (refined.specificScore ?? 0) / 10) : cls.confidence) : refined ? 0.5 : 0;
    const placeMatters = r?.rule.startsWith('territorial') || r?.rule === 'sectoral-district' || r?.rule === 'district';
    const confidence = placeMatters ? Math.min(catConfidence, loc.confidence) : catConfidence;
    // The model learned from Chinese requests; Latin-only text can still hit n-grams and look confident.
    const hasChinese = /\p{Script=Han}/u.test(`${input.title} ${input.body}`);
    if (!hasChinese) explanation.push('诉求内容没有中文，模型判断不可靠');
    const needsReview = !hasChinese || !r?.lead || r.needsReview || confidence < threshold;
    if (needsReview) explanation.push(`综合置信度 ${(confidence * 100).toFixed(0)}%${!r?.lead ? '，未能确定承办单位' : confidence < threshold ? `，低于阈值 ${(threshold * 100).toFixed(0)}%` : ''}，转派单中心审核`);

    const [repeats, knowledge] = await Promise.all([
      loc.codes.street ? repeatsFor(db, input, loc.codes.street, loc.codes.community, now()) : Promise.resolve([]),
      input.knowledge === false ? Promise.resolve([]) : searchKnowledge({ db, q: `${input.title} ${input.body}`.slice(0, 100), limit: 3 }).catch(() => []),
    ]);
    const named = (code: string) => ({ code, name: um.get(code)?.name ?? code });
    return {
      category: category
        ? {
            code: category.code,
            name: category.name,
            confidence: catConfidence,
            alternatives: (refined?.alternatives ?? []).map((a) => ({ code: a.category.code, name: a.category.name, confidence: Math.max(0, Math.min(1, a.score / Math.max(1, refined?.score ?? 1))) * catConfidence })),
          }
        : null,
      urgency: category?.urgency ?? 'general',
      location: { district: loc.district, street: loc.street, community: loc.community, confidence: loc.confidence, evidence: loc.evidence },
      leadUnit: r?.lead ? named(r.lead.code) : null,
      coUnits: (r?.coUnits ?? []).map((c) => named(c.code)),
      explanation,
      needsReview,
      confidence,
      repeats,
      // Weak matches only distract the agent on the phone.
      knowledge: knowledge.filter((k) => k.score >= 0.3).map((k) => ({ id: k.id, title: k.title, answer: k.answer, score: k.score })),
    };
  };
}

/** Open orders of the same street in the last seven days that read like this request. */
async function repeatsFor(db: Db, input: ProposalInput, street: string, community: string | null, now: Date): Promise<Proposal['repeats']> {
  const kept = await repeatCandidates(db, street, now);
  const rows = input.excludeOrderId ? kept.filter((r) => r.id !== input.excludeOrderId) : kept;
  for (const r of rows) signatureOf(r);
  const hits = findRepeats({ title: input.title, body: input.body, streetCode: street, communityCode: community }, rows, { now, limit: 5 });
  return hits.slice(0, 5).flatMap((h) => {
    const o = rows.find((r) => r.id === h.id);
    return o ? [{ id: o.id, no: o.no, title: o.title, similarity: h.similarity, state: o.state }] : [];
  });
}
