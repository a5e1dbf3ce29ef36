/**
 * The catalogue as Open311 services: every active leaf category is a service (service_code = category code),
 * grouped by its top-level category, with the catalogue's keywords. Attributes are what intake can use:
 * the request type for every service, affected households for water/power/gas/heating outages, and immediate
 * danger for emergency categories (which decides the urgency).
 */
import { requestTypes, type RequestType } from '../requests/acceptRequest.js';
import type { CategoryRef, Reference } from '../reference/referenceCache.js';

export type ServiceAttribute = {
  variable: boolean;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  datatypeDescription: string | null;
  order: number;
  description: string;
  values: { key: string; name: string }[];
};

export type Open311Service = { code: string; name: string; description: string; metadata: boolean; type: 'realtime'; keywords: string[]; group: string };

export const requestTypeNames: Record<RequestType, string> = { consultation: '咨询', help: '求助', complaint: '投诉', report: '举报', suggestion: '建议', praise: '表扬' };

/** Attributes of a service (category). */
export function attributesOf(cat: Pick<CategoryRef, 'urgency'>): ServiceAttribute[] {
  const attrs: ServiceAttribute[] = [
    {
      variable: true,
      code: 'REQUEST_TYPE',
      datatype: 'singlevaluelist',
      required: false,
      datatypeDescription: '不填时按投诉处理',
      order: 1,
      description: '诉求类型',
      values: requestTypes.map((t) => ({ key: t, name: requestTypeNames[t] })),
    },
  ];
  if (cat.urgency === 'utility') {
    attrs.push({ variable: true, code: 'AFFECTED_HOUSEHOLDS', datatype: 'number', required: false, datatypeDescription: '整数，1–100000', order: 2, description: '受影响户数（停水、停电、停气、停暖）', values: [] });
  }
  if (cat.urgency === 'emergency') {
    attrs.push({
      variable: true,
      code: 'DANGER_NOW',
      datatype: 'singlevaluelist',
      required: true,
      datatypeDescription: null,
      order: 2,
      description: '是否正在危及人身或财产安全',
      values: [
        { key: 'yes', name: '是' },
        { key: 'no', name: '否' },
      ],
    });
  }
  return attrs;
}

function topOf(ref: Reference, cat: CategoryRef): CategoryRef {
  let c = cat;
  for (let i = 0; i < 10 && c.parentId; i++) {
    const p = ref.categories.get(c.parentId);
    if (!p) break;
    c = p;
  }
  return c;
}

/** Active categories with no active children, in catalogue order. */
function leaves(ref: Reference): CategoryRef[] {
  const withChildren = new Set<string>();
  for (const c of ref.categories.values()) if (c.active && c.parentId) withChildren.add(c.parentId);
  return [...ref.categories.values()].filter((c) => c.active && !withChildren.has(c.id)).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }) || a.sort - b.sort);
}

function pathName(ref: Reference, cat: CategoryRef): string {
  const names: string[] = [];
  let c: CategoryRef | undefined = cat;
  for (let i = 0; i < 10 && c; i++) {
    names.unshift(c.name);
    c = c.parentId ? ref.categories.get(c.parentId) : undefined;
  }
  return names.join(' / ');
}

export function serviceOf(ref: Reference, cat: CategoryRef): Open311Service {
  return { code: cat.id, name: cat.name, description: pathName(ref, cat), metadata: attributesOf(cat).length > 0, type: 'realtime', keywords: cat.keywords, group: topOf(ref, cat).name };
}

/** listServices(ref, (code) => true) → [{ code: 'HB.02', name: '餐饮油烟扰民', group: '生态环境', … }, …] */
export function listServices(ref: Reference, allowed: (code: string) => boolean): Open311Service[] {
  return leaves(ref).filter((c) => allowed(c.id)).map((c) => serviceOf(ref, c));
}

/** The service a code names, or null when it is unknown, inactive or not a leaf. */
export function serviceCategory(ref: Reference, code: string): CategoryRef | null {
  const cat = ref.categories.get(code);
  if (!cat || !cat.active) return null;
  for (const c of ref.categories.values()) if (c.active && c.parentId === cat.id) return null;
  return cat;
}
