/**
 * Handling units that are not places: the 12345 hotline centre, city departments (委办局), public-service
 * companies, and each district's departments. Written by hand from the city's and districts' published
 * organisation lists; codes are `<parent>-<ABBR>` and must never change once orders refer to them.
 * The same abbr at city and district level means the same line of work (市城管执法局 ↔ 朝阳区城管执法局),
 * which is how the dispatch catalogue names "the department of the order's district".
 */

export type OrganizationLevel = 'centre' | 'department' | 'company';
export type Service = 'water' | 'power' | 'gas' | 'heating' | 'telecom' | 'drainage';

export type OrganizationUnit = {
  code: string;
  name: string;
  shortName: string;
  level: OrganizationLevel;
  /** A division code: 110000 for city-wide units, the 6-digit district code for district departments. */
  parent: string;
  service?: Service;
  abbr: string;
};

/** Where a category's department sits: the city, or the order's own district (same abbr). */
export type UnitRef = { level: 'city' | 'district'; abbr: string };

export const cityCode = '110000';

export const hotlineCentre: OrganizationUnit = {
  code: '110000-12345',
  name: '北京市12345市民服务热线',
  shortName: '12345热线',
  level: 'centre',
  parent: cityCode,
  abbr: '12345',
};

const cityDept = (abbr: string, name: string, shortName: string): OrganizationUnit => ({
  code: `${cityCode}-${abbr}`,
  name,
  shortName,
  level: 'department',
  parent: cityCode,
  abbr,
});

export const cityDepartments: readonly OrganizationUnit[] = [
  cityDept('CGW', '北京市城市管理委员会', '市城管委'),
  cityDept('CGZF', '北京市城市管理综合行政执法局', '市城管执法局'),
  cityDept('ZJW', '北京市住房和城乡建设委员会', '市住建委'),
  cityDept('JTW', '北京市交通委员会', '市交通委'),
  cityDept('SCJG', '北京市市场监督管理局', '市市场监管局'),
  cityDept('STHJ', '北京市生态环境局', '市生态环境局'),
  cityDept('RSJ', '北京市人力资源和社会保障局', '市人力社保局'),
  cityDept('JW', '北京市教育委员会', '市教委'),
  cityDept('WJW', '北京市卫生健康委员会', '市卫健委'),
  cityDept('GAJ', '北京市公安局', '市公安局'),
  // A bureau of the 公安局, but it takes traffic orders itself, so it is dispatched to directly.
  cityDept('JGJ', '北京市公安局公安交通管理局', '市公安交管局'),
  cityDept('SWJ', '北京市水务局', '市水务局'),
  cityDept('YLLH', '北京市园林绿化局', '市园林绿化局'),
  cityDept('GHZR', '北京市规划和自然资源委员会', '市规划自然资源委'),
  cityDept('MZJ', '北京市民政局', '市民政局'),
  cityDept('FGW', '北京市发展和改革委员会', '市发展改革委'),
  cityDept('WLJ', '北京市文化和旅游局', '市文化和旅游局'),
  cityDept('SHWJ', '北京市商务局', '市商务局'),
  cityDept('YBJ', '北京市医疗保障局', '市医保局'),
  cityDept('NYNC', '北京市农业农村局', '市农业农村局'),
  cityDept('YJGL', '北京市应急管理局', '市应急管理局'),
  cityDept('XF', '北京市消防救援总队', '市消防救援总队'),
  cityDept('ZWFW', '北京市政务服务和数据管理局', '市政务服务和数据局'),
  cityDept('SFJ', '北京市司法局', '市司法局'),
  cityDept('TYJ', '北京市体育局', '市体育局'),
  cityDept('WWJ', '北京市文物局', '市文物局'),
  cityDept('YPJG', '北京市药品监督管理局', '市药监局'),
  cityDept('GJJ', '北京住房公积金管理中心', '住房公积金中心'),
  cityDept('TYJR', '北京市退役军人事务局', '市退役军人局'),
  // Central-government branches in Beijing that 12345 dispatches telecom and postal complaints to.
  cityDept('TXGL', '北京市通信管理局', '市通信管理局'),
  cityDept('YZGL', '北京市邮政管理局', '市邮政管理局'),
];

const company = (abbr: string, name: string, shortName: string, service: Service): OrganizationUnit => ({
  code: `${cityCode}-${abbr}`,
  name,
  shortName,
  level: 'company',
  parent: cityCode,
  service,
  abbr,
});

export const publicServiceCompanies: readonly OrganizationUnit[] = [
  company('ZLS', '北京市自来水集团', '自来水集团', 'water'),
  company('DL', '国网北京市电力公司', '北京电力', 'power'),
  company('RQ', '北京市燃气集团', '燃气集团', 'gas'),
  company('RL', '北京市热力集团', '热力集团', 'heating'),
  company('YD', '中国移动北京公司', '北京移动', 'telecom'),
  company('LT', '中国联通北京分公司', '北京联通', 'telecom'),
  company('DX', '中国电信北京分公司', '北京电信', 'telecom'),
  // The company's own name is 北京城市排水集团, not 北京市排水集团.
  company('PS', '北京城市排水集团', '排水集团', 'drainage'),
];

/** How a district names one of its departments; `name`/`shortName` get the district's name (朝阳区). */
export type DistrictDepartmentTemplate = {
  abbr: string;
  name: (district: string) => string;
  shortName: (district: string) => string;
};

// 朝阳区 → 朝阳, for units named in the city's pattern (北京市公安局朝阳分局).
const bare = (district: string): string => district.replace(/区$/, '');
const suffixed = (abbr: string, suffix: string, short: string): DistrictDepartmentTemplate => ({
  abbr,
  name: (d) => `${d}${suffix}`,
  shortName: (d) => `${d}${short}`,
});

export const districtDepartmentTemplates: readonly DistrictDepartmentTemplate[] = [
  suffixed('CGW', '城市管理委员会', '城管委'),
  suffixed('CGZF', '城市管理综合行政执法局', '城管执法局'),
  suffixed('SCJG', '市场监督管理局', '市场监管局'),
  suffixed('ZJW', '住房和城乡建设委员会', '住建委'),
  suffixed('STHJ', '生态环境局', '生态环境局'),
  suffixed('RSJ', '人力资源和社会保障局', '人力社保局'),
  suffixed('JW', '教育委员会', '教委'),
  suffixed('WJW', '卫生健康委员会', '卫健委'),
  suffixed('MZJ', '民政局', '民政局'),
  suffixed('SWJ', '水务局', '水务局'),
  suffixed('YLLH', '园林绿化局', '园林绿化局'),
  suffixed('YBJ', '医疗保障局', '医保局'),
  suffixed('YJGL', '应急管理局', '应急管理局'),
  suffixed('WLJ', '文化和旅游局', '文旅局'),
  suffixed('SHWJ', '商务局', '商务局'),
  // These three are branches of city bodies and carry the city's name first.
  { abbr: 'GAJ', name: (d) => `北京市公安局${bare(d)}分局`, shortName: (d) => `${bare(d)}公安分局` },
  { abbr: 'JGJ', name: (d) => `北京市公安局公安交通管理局${bare(d)}交通支队`, shortName: (d) => `${bare(d)}交通支队` },
  { abbr: 'GHZR', name: (d) => `北京市规划和自然资源委员会${bare(d)}分局`, shortName: (d) => `规自委${bare(d)}分局` },
];

/** The departments of every given district, from the templates above. */
export function districtDepartments(districts: readonly { code: string; name: string }[]): OrganizationUnit[] {
  return districts.flatMap((d) =>
    districtDepartmentTemplates.map((t) => ({
      code: `${d.code}-${t.abbr}`,
      name: t.name(d.name),
      shortName: t.shortName(d.name),
      level: 'department' as const,
      parent: d.code,
      abbr: t.abbr,
    })),
  );
}

/** Every handling unit that is not a place: centre, city departments, companies, district departments. */
export function allOrganizationUnits(districts: readonly { code: string; name: string }[]): OrganizationUnit[] {
  return [hotlineCentre, ...cityDepartments, ...publicServiceCompanies, ...districtDepartments(districts)];
}

/** The unit code a category's department or co-unit reference means for an order in `districtCode`. */
export function unitCodeFor(ref: UnitRef, districtCode: string): string {
  return `${ref.level === 'city' ? cityCode : districtCode}-${ref.abbr}`;
}
