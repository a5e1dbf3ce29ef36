/**
 * Who handles a request: the lead unit (主办) and co-units (协办) from the category's catalogue rule and the
 * request's location, with an explanation a dispatcher can read.
 *
 * Rules (the catalogue's `handling`):
 * - territorial (属地): the street/township of the location; unknown street → its district (兜底).
 * - sectoral (行业): the named department or company — at city level `110000-<abbr>`; at district level the
 *   same-abbr department of the location's district, or the city department when the district is unknown.
 * - district: the location's district.
 * Co-units come from `coUnits`; `{ level: 'street' }` means the location's street. No lead, an ambiguous location or
 * a unit missing from the lookup sets `needsReview`.
 */
import type { Category } from '../../store/reference/index.js';
import { cityCode, unitCodeFor } from '../../store/reference/index.js';

export type UnitInfo = { code: string; name: string; level: string; path: string };
export type UnitLookup = { byCode(code: string): UnitInfo | undefined };
export type UnitName = { code: string; name: string };

/** The parts of a catalogue entry routing reads. */
export type RouteCategory = Pick<Category, 'code' | 'name' | 'handling' | 'department' | 'coUnits'>;

/** The parts of a locate() result routing reads. */
export type RouteLocation = {
  district: UnitName | null;
  street: UnitName | null;
  confidence?: number;
  ambiguous?: readonly unknown[];
};

/** Which rule picked the lead; stable identifiers for logs and tests. */
export type RouteRule =
  | 'territorial'
  | 'territorial-district-fallback'
  | 'sectoral-city'
  | 'sectoral-district'
  | 'sectoral-city-fallback'
  | 'district'
  | 'unrouted';

export type Route = {
  lead: UnitName | null;
  coUnits: UnitName[];
  rule: RouteRule;
  /** Chinese, one line per decision: the catalogue rule, the place, the lead, each co-unit. */
  explanation: string[];
  needsReview: boolean;
};

const HANDLING_LABEL: Record<Category['handling'], string> = {
  territorial: '属地管理，由问题所在街道（乡镇）主办',
  sectoral: '行业管理，由主管部门或企业主办',
  district: '由所在区主办（兜底）',
};

/**
 * Route a request.
 *
 * @example
 * route({ category: { code: 'HB.02', name: '餐饮油烟扰民', handling: 'territorial', coUnits: [{ level: 'district', abbr: 'CGZF' }] },
 *         location: { district: { code: '110105', name: '朝阳区' }, street: { code: '110105026', name: '望京街道' } }, units });
 * // → { lead: { code: '110105026', name: '望京街道' }, coUnits: [{ code: '110105-CGZF', name: '朝阳区城市管理综合行政执法局' }],
 * //     rule: 'territorial', needsReview: false, explanation: [...] }
 */
export function route({ category, location, units }: { category: RouteCategory; location: RouteLocation; units: UnitLookup }): Route {
  const explanation: string[] = [`类别「${category.name}」(${category.code})：${HANDLING_LABEL[category.handling]}`];
  const district = location.district;
  const street = location.street;
  explanation.push(`位置：${placeLine(location)}`);
  let needsReview = Boolean(location.ambiguous?.length);
  if (needsReview) explanation.push('位置有多个候选，需人工确认');

  const find = (code: string, what: string): UnitName | null => {
    const u = units.byCode(code);
    if (u) return { code: u.code, name: u.name };
    explanation.push(`单位表中没有${what}（${code}）`);
    needsReview = true;
    return null;
  };

  let lead: UnitName | null = null;
  let rule: RouteRule = 'unrouted';
  switch (category.handling) {
    case 'territorial': {
      if (street) {
        lead = find(street.code, street.name);
        if (lead) {
          rule = 'territorial';
          explanation.push(`主办：${lead.name}（问题所在街道）`);
        }
      }
      if (!lead && district) {
        lead = find(district.code, district.name);
        if (lead) {
          rule = 'territorial-district-fallback';
          explanation.push(`主办：${lead.name}（街道不明，由区兜底）`);
        }
      }
      break;
    }
    case 'sectoral': {
      const dept = category.department;
      if (!dept) {
        explanation.push('目录未写明主管部门');
        if (district) lead = find(district.code, district.name);
        if (lead) {
          rule = 'district';
          explanation.push(`主办：${lead.name}（由区兜底）`);
        }
        needsReview = true;
        break;
      }
      if (dept.level === 'district' && district) {
        lead = find(unitCodeFor(dept, district.code), `${district.name}的主管部门`);
        if (lead) {
          rule = 'sectoral-district';
          explanation.push(`主办：${lead.name}（${district.name}的主管部门）`);
        }
      }
      if (!lead) {
        const fallback = dept.level === 'district';
        lead = find(unitCodeFor({ level: 'city', abbr: dept.abbr }, cityCode), '市级主管部门');
        if (lead) {
          rule = fallback ? 'sectoral-city-fallback' : 'sectoral-city';
          explanation.push(`主办：${lead.name}（${fallback ? '所在区不明，由市级部门主办' : '市级主管部门或企业'}）`);
        }
      }
      break;
    }
    case 'district': {
      if (district) lead = find(district.code, district.name);
      if (lead) {
        rule = 'district';
        explanation.push(`主办：${lead.name}`);
      }
      break;
    }
  }
  if (!lead) {
    needsReview = true;
    explanation.push(district ? '找不到主办单位，转派单中心人工派单' : '找不到主办单位：所在区不明，转派单中心人工派单');
  }

  const coUnits: UnitName[] = [];
  const seen = new Set(lead ? [lead.code] : []);
  for (const ref of category.coUnits ?? []) {
    let unit: UnitName | null = null;
    if (ref.level === 'street') {
      if (!street) {
        explanation.push('协办：目录要求所在街道协办，但街道不明');
        continue;
      }
      unit = find(street.code, street.name);
    } else if (ref.level === 'district' && district) {
      unit = find(unitCodeFor(ref, district.code), `${district.name}的协办部门`);
    } else {
      unit = find(unitCodeFor({ level: 'city', abbr: ref.abbr }, cityCode), '市级协办部门');
    }
    if (!unit || seen.has(unit.code)) continue;
    seen.add(unit.code);
    coUnits.push(unit);
  }
  if (coUnits.length) explanation.push(`协办：${coUnits.map((u) => u.name).join('、')}（目录规定）`);

  return { lead, coUnits, rule, explanation, needsReview };
}

function placeLine(location: RouteLocation): string {
  const parts = [location.district?.name, location.street?.name].filter((p): p is string => Boolean(p));
  const where = parts.length ? parts.join(' ') : '不明';
  return location.confidence === undefined ? where : `${where}（定位置信度 ${location.confidence.toFixed(2)}）`;
}
