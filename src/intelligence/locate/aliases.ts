/**
 * Names people use for places that are not the official division names: landmarks (国贸, 北京南站), areas that span
 * several streets (回天, 亦庄) and colloquial short forms (望京, 经开区). Curated by hand; every entry points to
 * official division codes of src/store/reference (the gazetteer test checks each code exists and that each street
 * lies in its district). Where the street of a landmark is not certain, the entry names only its district.
 */

/** landmark: a single place; area: a region of several streets (or a whole district); alias: another name for one unit. */
export type AliasKind = 'landmark' | 'area' | 'alias';

export type PlaceAlias = {
  /** Surface forms as people write them, most specific first; each is matched as written. */
  names: readonly string[];
  kind: AliasKind;
  /** 6-digit district code. */
  district: string;
  /** 9-digit street/township codes in that district; empty when only the district is certain. */
  streets: readonly string[];
};

export const placeAliases: readonly PlaceAlias[] = [
  // ── 朝阳区 110105 ──
  { names: ['望京'], kind: 'alias', district: '110105', streets: ['110105026'] },
  { names: ['国贸', '国贸桥', '国贸商城'], kind: 'landmark', district: '110105', streets: ['110105001'] },
  { names: ['CBD', '北京商务中心区'], kind: 'area', district: '110105', streets: ['110105001', '110105003'] },
  { names: ['建国门外', '建外SOHO'], kind: 'alias', district: '110105', streets: ['110105001'] },
  { names: ['朝阳门外'], kind: 'alias', district: '110105', streets: ['110105002'] },
  { names: ['三里屯太古里', '太古里'], kind: 'landmark', district: '110105', streets: ['110105004'] },
  { names: ['798艺术区', '798艺术中心'], kind: 'landmark', district: '110105', streets: ['110105011'] },
  { names: ['奥林匹克公园', '奥林匹克森林公园', '奥森', '鸟巢', '水立方'], kind: 'landmark', district: '110105', streets: ['110105031'] },
  { names: ['朝阳公园'], kind: 'landmark', district: '110105', streets: [] },
  { names: ['首都国际机场', '首都机场', 'T3航站楼'], kind: 'landmark', district: '110105', streets: ['110105020'] },

  // ── 海淀区 110108 ──
  { names: ['五道口'], kind: 'landmark', district: '110108', streets: ['110108010'] },
  { names: ['清华大学'], kind: 'landmark', district: '110108', streets: ['110108014'] },
  { names: ['北京大学'], kind: 'landmark', district: '110108', streets: ['110108015'] },
  { names: ['颐和园', '圆明园'], kind: 'landmark', district: '110108', streets: [] },

  // ── 东城区 110101 / 西城区 110102 ──
  { names: ['王府井'], kind: 'landmark', district: '110101', streets: ['110101001'] },
  { names: ['南锣鼓巷'], kind: 'landmark', district: '110101', streets: ['110101003'] },
  { names: ['簋街'], kind: 'landmark', district: '110101', streets: ['110101005'] },
  { names: ['前门大街'], kind: 'landmark', district: '110101', streets: ['110101011'] },
  { names: ['北京站', '北京火车站'], kind: 'landmark', district: '110101', streets: ['110101008'] },
  { names: ['天安门广场', '天安门', '故宫'], kind: 'landmark', district: '110101', streets: [] },
  { names: ['钟鼓楼'], kind: 'landmark', district: '110101', streets: [] },
  { names: ['西单'], kind: 'landmark', district: '110102', streets: ['110102001'] },
  { names: ['后海'], kind: 'landmark', district: '110102', streets: ['110102012'] },
  { names: ['北京北站'], kind: 'landmark', district: '110102', streets: [] },

  // ── 丰台区 110106 ──
  { names: ['北京西站', '西客站'], kind: 'landmark', district: '110106', streets: [] },
  { names: ['北京南站'], kind: 'landmark', district: '110106', streets: ['110106001'] },

  // ── 昌平区 110114 ──
  {
    names: ['回天地区', '回天'],
    kind: 'area',
    district: '110114',
    // 回龙观、天通苑: the streets carved out of the former 回龙观镇 and 东小口镇.
    streets: ['110114011', '110114012', '110114013', '110114010', '110114008', '110114009', '110114007'],
  },
  { names: ['天通苑'], kind: 'area', district: '110114', streets: ['110114008', '110114009'] },

  // ── 大兴区 110115 ──
  { names: ['亦庄'], kind: 'area', district: '110115', streets: ['110115004', '110115403'] },
  { names: ['北京亦庄', '亦庄开发区', '亦庄经济开发区', '经开区', '经济技术开发区'], kind: 'alias', district: '110115', streets: ['110115403'] },
  { names: ['大兴国际机场', '大兴机场', '新机场'], kind: 'landmark', district: '110115', streets: ['110115406'] },

  // ── 通州区 110112 ──
  { names: ['城市副中心', '行政副中心', '副中心'], kind: 'area', district: '110112', streets: [] },
  { names: ['环球影城', '环球度假区'], kind: 'landmark', district: '110112', streets: [] },

  // Former county names, still in use: the districts were counties until 1997 (通县), 2015 (密云县, 延庆县).
  { names: ['通县'], kind: 'alias', district: '110112', streets: [] },
  { names: ['密云县'], kind: 'alias', district: '110118', streets: [] },
  { names: ['延庆县'], kind: 'alias', district: '110119', streets: [] },

  // ── 石景山区 110107 / 怀柔区 110116 ──
  { names: ['首钢园'], kind: 'landmark', district: '110107', streets: [] },
  { names: ['雁栖湖'], kind: 'landmark', district: '110116', streets: ['110116004'] },
];

/**
 * Words that contain a place's short name but are not that place: matched first (longest match) so that 东四环 is
 * not read as 东四街道. They resolve to nothing.
 */
export const notPlaces: readonly string[] = [
  ...['东', '西', '南', '北'].flatMap((side) => ['二环', '三环', '四环', '五环', '六环'].map((ring) => `${side}${ring}`)),
  '河北省',
  '鼓楼大街',
  '鼓楼东大街',
  '鼓楼西大街',
  '鼓楼外大街',
];

/**
 * Short names of streets/townships that are also everyday words (南口 "south exit", 天桥 "footbridge", 胜利, 光明…):
 * alone they are weak evidence, used only inside a district the text or the coordinates already name.
 * Their full names (南口地区, 天桥街道) are always strong.
 */
export const commonWordShortNames: ReadonlySet<string> = new Set([
  '东四', '前门', '天桥', '天坛', '平房', '东风', '新村', '老山', '八角', '古城', '香山', '清河', '东升', '曙光', '温泉',
  '城子', '王平', '永定', '龙泉', '清水', '城关', '新镇', '向阳', '迎风', '星城', '河北', '新华', '北苑', '胜利', '光明',
  '仁和', '空港', '城北', '城南', '南口', '沙河', '荣华', '博兴', '安定', '龙山', '宝山', '滨河', '鼓楼', '果园', '北庄',
  '石城', '百泉', '儒林', '永宁', '四海', '东湖', '和义', '文景', '石楼', '清源', '渤海', '峪口', '长阳', '龙潭', '上庄',
  '花乡', '大峪', '旧县', '北房', '兴丰', '通运', '中仓', '玉桥', '金盏', '南苑',
]);

/**
 * Community/village short names that are everyday words (商业街, 新天地, 第十一条's 十一条…): weak like the street
 * names above. Two-character names, village names on a two-character stem (幸福村) and names of institutions'
 * compounds (教育部, 水泥厂, 肿瘤医院) are weak by rule in the gazetteer and need no entry here.
 */
export const commonWordCommunityNames: ReadonlySet<string> = new Set([
  '中心区', '商务区', '商业街', '文化路', '新天地', '金三角', '分水岭', '航空港', '科技园', '新华社', '新北区', '下花园',
  '东大街', '西大街', '南大街', '北大街', '解放街', '太平街', '新兴里', '花果山', '仙人洞', '欢乐谷', '碧桂园', '流星花园',
  '林肯公园', '苹果派', '常青藤', '红房子', '新房子', '石板房', '两间房', '葡萄园', '玫瑰园', '樱花园', '百草园', '满庭芳',
]);
