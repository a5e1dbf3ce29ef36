/**
 * The default dispatch catalogue (派单目录): what a request is about, who leads it and how urgent it is.
 * Written for this project; the seven training labels of the teddy2020 data are top-level names so that a
 * classifier's output lands on a category, and the rest follows common city-hotline practice and the
 * GB/T 30428 event classes. Operators edit the live catalogue in the database; this is only its seed.
 * Codes are stable ('CX', 'CX.03', 'CX.03.02'): add new codes, never renumber.
 */
import type { UnitRef } from './organizations.js';

/** territorial: the order's street/township leads (属地); sectoral: the named department or company leads;
 * district: the order's district leads (兜底, also when responsibility is unclear). */
export type Handling = 'territorial' | 'sectoral' | 'district';
/** Maps to the deadline policy: 2 hours, 24 hours (水电气热), 7 days, 15 days by default. */
export type Urgency = 'emergency' | 'utility' | 'general' | 'complex';
/** A co-unit (协办): a department as in UnitRef, or the street/township of the order's location. */
export type CoUnitRef = UnitRef | { level: 'street' };

export type Category = {
  code: string;
  name: string;
  parent?: string;
  handling: Handling;
  /** For sectoral handling: the lead department or company (abbr as in organizations.ts). */
  department?: UnitRef;
  coUnits?: readonly CoUnitRef[];
  urgency: Urgency;
  /** Words in a request that point to this category. */
  keywords: readonly string[];
  /** Usually a consultation the agent answers on the spot from the knowledge base (直接办结). */
  directAnswer?: boolean;
};

/** The seven first-level labels of the teddy2020 training data, kept as top-level names. */
export const trainingLabels = ['城乡建设', '劳动和社会保障', '教育文体', '商贸旅游', '环境保护', '卫生计生', '交通运输'] as const;

const city = (abbr: string): UnitRef => ({ level: 'city', abbr });
const dist = (abbr: string): UnitRef => ({ level: 'district', abbr });
const street: CoUnitRef = { level: 'street' };

type Row = Omit<Category, 'parent'>;

const rows: readonly Row[] = [
  // ── 城乡建设 ──
  { code: 'CX', name: '城乡建设', handling: 'territorial', urgency: 'general', keywords: ['房屋', '小区', '物业', '违建', '施工', '拆迁', '市政', '环境卫生', '规划', '住房'] },
  { code: 'CX.01', name: '违法建设', handling: 'territorial', coUnits: [dist('CGZF'), dist('GHZR')], urgency: 'general', keywords: ['违建', '违法建设', '违章建筑', '私搭乱建', '加盖', '扩建', '楼顶加层', '彩钢房', '圈占绿地', '挖地下室', '拆违', '私建'] },
  { code: 'CX.02', name: '物业管理', handling: 'territorial', coUnits: [dist('ZJW')], urgency: 'general', keywords: ['物业', '物业公司', '物业费', '物业服务', '保洁', '门禁', '业委会', '物管会', '不作为', '弃管小区'] },
  { code: 'CX.02.01', name: '物业服务质量', handling: 'territorial', coUnits: [dist('ZJW')], urgency: 'general', keywords: ['物业不管', '物业服务差', '保洁不到位', '保安', '物业态度', '物业乱收费', '更换物业', '物业撤场'] },
  { code: 'CX.02.02', name: '电梯运行', handling: 'territorial', coUnits: [dist('SCJG'), dist('ZJW')], urgency: 'general', keywords: ['电梯', '电梯故障', '电梯停运', '电梯维修', '电梯异响', '电梯年检', '电梯坏了', '爬楼'] },
  { code: 'CX.02.03', name: '业主组织与维修资金', handling: 'territorial', coUnits: [dist('ZJW')], urgency: 'complex', keywords: ['业主委员会', '业委会', '物管会', '业主大会', '维修资金', '专项维修资金', '公共收益', '选举'] },
  { code: 'CX.03', name: '小区停车', handling: 'territorial', coUnits: [dist('CGW')], urgency: 'general', keywords: ['小区停车', '车位', '停车费', '地下车库', '外来车辆', '停车难', '道闸', '僵尸车', '车位只售不租', '私装地锁'] },
  { code: 'CX.04', name: '房屋使用与维修', handling: 'territorial', coUnits: [dist('ZJW')], urgency: 'general', keywords: ['房屋', '维修', '漏水', '墙皮脱落', '楼道', '单元门', '公共部位', '老楼'] },
  { code: 'CX.04.01', name: '房屋漏雨', handling: 'territorial', coUnits: [dist('ZJW')], urgency: 'general', keywords: ['漏雨', '屋顶漏水', '顶层漏', '渗水', '防水层', '墙面渗水', '天花板滴水', '下雨漏', '屋面'] },
  { code: 'CX.04.02', name: '楼内公共设施损坏', handling: 'territorial', urgency: 'general', keywords: ['楼道灯', '单元门坏', '楼梯扶手', '信报箱', '对讲门', '窗户破损', '楼道墙皮', '声控灯'] },
  { code: 'CX.04.03', name: '老旧小区综合整治', handling: 'territorial', coUnits: [dist('ZJW')], urgency: 'complex', keywords: ['老旧小区改造', '综合整治', '加装电梯', '外墙保温', '抗震加固', '管线改造', '上下水改造', '危旧楼'] },
  { code: 'CX.05', name: '市政设施', handling: 'territorial', coUnits: [dist('CGW')], urgency: 'general', keywords: ['市政', '道路', '路面', '井盖', '路灯', '人行道', '便道', '护栏'] },
  { code: 'CX.05.01', name: '路灯不亮', handling: 'territorial', coUnits: [dist('CGW')], urgency: 'general', keywords: ['路灯', '路灯不亮', '灯不亮', '路灯坏', '黑灯', '没有照明', '路灯闪', '夜里太黑', '灯杆'] },
  { code: 'CX.05.02', name: '道路破损', handling: 'territorial', coUnits: [dist('CGW')], urgency: 'general', keywords: ['坑洼', '路面破损', '大坑', '坑槽', '便道砖', '道路不平', '修路', '路面开裂', '积水坑'] },
  { code: 'CX.05.03', name: '井盖缺失破损', handling: 'territorial', coUnits: [dist('CGW')], urgency: 'emergency', keywords: ['井盖', '井盖丢失', '井盖破损', '井盖松动', '井盖下沉', '没有井盖', '井口', '掉下去'] },
  { code: 'CX.05.04', name: '道路塌陷', handling: 'territorial', coUnits: [dist('CGW'), city('PS')], urgency: 'emergency', keywords: ['塌陷', '路面塌陷', '地面下沉', '塌了', '空洞', '路面沉降', '塌坑'] },
  { code: 'CX.06', name: '环境卫生', handling: 'territorial', coUnits: [dist('CGW')], urgency: 'general', keywords: ['卫生', '垃圾', '脏乱差', '保洁', '清扫', '公厕', '异味', '环境'] },
  { code: 'CX.06.01', name: '垃圾清运', handling: 'territorial', coUnits: [dist('CGW')], urgency: 'general', keywords: ['垃圾', '清运', '垃圾桶', '垃圾满了', '垃圾站', '没人收', '大件垃圾', '装修垃圾', '建筑垃圾', '垃圾分类', '堆放'] },
  { code: 'CX.06.02', name: '道路清扫与积雪', handling: 'territorial', coUnits: [dist('CGW')], urgency: 'general', keywords: ['清扫', '扫地', '落叶', '积雪', '扫雪', '路面脏', '结冰', '融雪剂'] },
  { code: 'CX.06.03', name: '公共厕所', handling: 'territorial', coUnits: [dist('CGW')], urgency: 'general', keywords: ['公厕', '公共厕所', '厕所脏', '厕所关门', '厕所堵', '没有厕所', '旱厕', '厕所异味'] },
  { code: 'CX.07', name: '街面秩序', handling: 'territorial', coUnits: [dist('CGZF')], urgency: 'general', keywords: ['占道经营', '摆摊', '游商', '店外经营', '出店经营', '小广告', '乱贴', '乱挂', '早市', '夜市', '流动摊贩'] },
  { code: 'CX.08', name: '园林绿化', handling: 'territorial', coUnits: [dist('YLLH')], urgency: 'general', keywords: ['树木', '修剪', '树枝', '遮挡阳光', '枯树', '倒伏', '绿地', '草坪', '病虫害', '杨柳絮', '砍树', '公园'] },
  { code: 'CX.09', name: '建筑施工管理', handling: 'sectoral', department: dist('ZJW'), coUnits: [street], urgency: 'general', keywords: ['工地', '施工', '围挡', '塔吊', '施工安全', '基坑', '脚手架', '施工许可', '渣土', '施工单位'] },
  { code: 'CX.10', name: '房屋征收与拆迁', handling: 'district', urgency: 'complex', keywords: ['拆迁', '征收', '补偿款', '安置房', '回迁', '腾退', '棚户区改造', '过渡费', '周转费', '强拆'] },
  { code: 'CX.11', name: '住房保障', handling: 'sectoral', department: dist('ZJW'), urgency: 'general', keywords: ['公租房', '共有产权房', '保障房', '廉租房', '经适房', '轮候', '配租', '租房补贴', '摇号选房', '保障性住房'] },
  { code: 'CX.12', name: '房地产开发与交易', handling: 'sectoral', department: dist('ZJW'), urgency: 'complex', keywords: ['开发商', '延期交房', '网签', '购房合同', '房屋质量', '房产中介', '定金', '售楼处', '烂尾楼', '精装修'] },
  { code: 'CX.13', name: '不动产登记', handling: 'sectoral', department: dist('GHZR'), coUnits: [dist('ZJW')], urgency: 'complex', keywords: ['房产证', '不动产证', '办证', '产权证', '不动产登记', '确权', '大产证', '小产证', '办不下来'] },
  { code: 'CX.14', name: '房屋租赁', handling: 'sectoral', department: dist('ZJW'), coUnits: [street], urgency: 'general', keywords: ['租房', '房东', '押金', '中介', '群租', '隔断房', '租金', '长租公寓', '租金贷', '退租'] },
  { code: 'CX.15', name: '城市规划与农村建设', handling: 'sectoral', department: dist('GHZR'), coUnits: [street], urgency: 'complex', keywords: ['规划', '挡光', '日照', '楼间距', '容积率', '规划许可', '宅基地', '翻建', '农村建房', '规划公示'] },

  // ── 劳动和社会保障 ──
  { code: 'LD', name: '劳动和社会保障', handling: 'sectoral', department: dist('RSJ'), urgency: 'general', keywords: ['工资', '社保', '劳动', '就业', '退休', '养老金', '合同', '人社'] },
  { code: 'LD.01', name: '拖欠工资', handling: 'sectoral', department: dist('RSJ'), coUnits: [street], urgency: 'general', keywords: ['拖欠工资', '欠薪', '不发工资', '讨薪', '农民工工资', '克扣工资', '工资拖欠', '包工头', '劳务费', '欠钱不给', '工钱'] },
  { code: 'LD.02', name: '劳动关系', handling: 'sectoral', department: dist('RSJ'), urgency: 'general', keywords: ['劳动合同', '辞退', '解除合同', '经济补偿', '试用期', '加班费', '双倍工资', '劳动仲裁', '违法解除', '被开除'] },
  { code: 'LD.03', name: '社会保险', handling: 'sectoral', department: dist('RSJ'), urgency: 'general', keywords: ['社保', '社会保险', '补缴', '断缴', '社保转移', '社保卡', '缴费基数', '不给交社保'] },
  { code: 'LD.03.01', name: '养老保险', handling: 'sectoral', department: dist('RSJ'), urgency: 'general', keywords: ['养老保险', '城乡居民养老', '缴费年限', '视同缴费', '养老保险转移', '个人账户', '一次性补缴'] },
  { code: 'LD.03.02', name: '失业保险', handling: 'sectoral', department: dist('RSJ'), urgency: 'general', keywords: ['失业保险', '失业金', '失业登记', '领取失业金', '失业补助', '稳岗补贴'] },
  { code: 'LD.03.03', name: '工伤保险', handling: 'sectoral', department: dist('RSJ'), urgency: 'general', keywords: ['工伤', '工伤认定', '工伤鉴定', '劳动能力鉴定', '工伤赔偿', '上班受伤', '工亡'] },
  { code: 'LD.04', name: '医疗保险', handling: 'sectoral', department: dist('YBJ'), urgency: 'general', keywords: ['医保', '报销', '医保卡', '异地就医', '门诊报销', '定点医院', '医保备案', '城乡居民医保', '生育津贴', '医保缴费'] },
  { code: 'LD.05', name: '就业与培训', handling: 'sectoral', department: dist('RSJ'), urgency: 'general', keywords: ['就业', '招聘', '找工作', '职业培训', '创业', '灵活就业', '就业补贴', '技能证书', '公益性岗位', '虚假招聘'] },
  { code: 'LD.06', name: '退休与待遇', handling: 'sectoral', department: dist('RSJ'), urgency: 'general', keywords: ['退休', '养老金', '退休金', '退休手续', '提前退休', '工龄认定', '特殊工种', '养老金调整', '人事档案'] },
  { code: 'LD.07', name: '人才与落户政策', handling: 'sectoral', department: city('RSJ'), urgency: 'general', directAnswer: true, keywords: ['积分落户', '人才引进', '职称评审', '档案存放', '留学生落户', '应届生落户', '工作居住证', '进京指标'] },
  { code: 'LD.08', name: '劳动保护与休假', handling: 'sectoral', department: dist('RSJ'), urgency: 'general', keywords: ['高温补贴', '劳动保护', '休息休假', '年假', '强制加班', '996', '女职工', '产假', '工作时间'] },

  // ── 教育文体 ──
  { code: 'JY', name: '教育文体', handling: 'sectoral', department: dist('JW'), urgency: 'general', keywords: ['学校', '教育', '孩子', '老师', '入学', '幼儿园', '培训', '文化', '体育'] },
  { code: 'JY.01', name: '入学入园', handling: 'sectoral', department: dist('JW'), urgency: 'general', keywords: ['入学', '入园', '学位', '报名', '学区', '划片', '非京籍', '借读', '学籍'] },
  { code: 'JY.01.01', name: '幼儿园入园', handling: 'sectoral', department: dist('JW'), urgency: 'general', keywords: ['幼儿园', '入园', '入园难', '普惠园', '托育', '托班', '小班', '民办幼儿园', '入园报名', '学前教育'] },
  { code: 'JY.01.02', name: '义务教育入学', handling: 'sectoral', department: dist('JW'), urgency: 'general', keywords: ['小学入学', '初中入学', '幼升小', '小升初', '划片入学', '多校划片', '派位', '学区房', '五证', '转学'] },
  { code: 'JY.01.03', name: '中高考与招生', handling: 'sectoral', department: city('JW'), urgency: 'general', keywords: ['中考', '高考', '招生', '录取', '志愿填报', '随迁子女', '异地高考', '职高', '考试院'] },
  { code: 'JY.02', name: '教育收费', handling: 'sectoral', department: dist('JW'), coUnits: [dist('SCJG')], urgency: 'general', keywords: ['乱收费', '补课费', '择校费', '赞助费', '课后服务费', '校服费', '餐费', '资料费', '收费不合理'] },
  { code: 'JY.03', name: '校外培训', handling: 'sectoral', department: dist('JW'), coUnits: [dist('SCJG')], urgency: 'general', keywords: ['培训机构', '培训班', '退费', '跑路', '学科类培训', '双减', '课时费', '教育机构', '无证办学'] },
  { code: 'JY.04', name: '学校管理与校园安全', handling: 'sectoral', department: dist('JW'), urgency: 'general', keywords: ['校园', '学校管理', '校园霸凌', '学校食堂', '校车', '体罚', '作业负担', '放学时间', '上学路上', '午餐'] },
  { code: 'JY.05', name: '教师队伍与待遇', handling: 'sectoral', department: dist('JW'), urgency: 'complex', keywords: ['教师工资', '教师待遇', '代课教师', '编制', '绩效工资', '教师职称', '师德', '有偿补课'] },
  { code: 'JY.06', name: '文化活动与场馆', handling: 'sectoral', department: dist('WLJ'), urgency: 'general', keywords: ['图书馆', '博物馆', '文化馆', '演出', '文化活动', '电影院', '网吧', '剧场', '文化市场', '门票预约'] },
  { code: 'JY.07', name: '体育健身设施', handling: 'territorial', coUnits: [city('TYJ')], urgency: 'general', keywords: ['健身器材', '体育场馆', '健身路径', '篮球场', '足球场', '游泳馆', '全民健身', '器材损坏', '场地开放'] },
  { code: 'JY.08', name: '文物保护', handling: 'sectoral', department: city('WWJ'), coUnits: [street], urgency: 'complex', keywords: ['文物', '古建筑', '文保单位', '四合院', '历史建筑', '文物保护', '胡同', '古树', '遗址'] },

  // ── 商贸旅游 ──
  { code: 'SM', name: '商贸旅游', handling: 'sectoral', department: dist('SHWJ'), urgency: 'general', keywords: ['商场', '商店', '超市', '旅游', '景区', '酒店', '预付卡', '商业', '消费'] },
  { code: 'SM.01', name: '旅游服务', handling: 'sectoral', department: dist('WLJ'), urgency: 'general', keywords: ['旅游', '导游', '旅行社', '景区', '强制购物', '一日游', '黑导游', '景点', '旅游团', '长城'] },
  { code: 'SM.02', name: '单用途预付卡', handling: 'sectoral', department: dist('SHWJ'), coUnits: [dist('SCJG')], urgency: 'general', keywords: ['预付卡', '会员卡', '充值', '退卡', '办卡', '闭店', '跑路', '健身房', '美容美发', '储值卡'] },
  { code: 'SM.03', name: '便民商业网点', handling: 'sectoral', department: dist('SHWJ'), coUnits: [street], urgency: 'general', keywords: ['菜市场', '便利店', '早餐点', '超市', '买菜难', '便民店', '商业网点', '关停', '蔬菜零售', '修鞋配钥匙'] },
  { code: 'SM.04', name: '网络交易与外卖', handling: 'sectoral', department: dist('SCJG'), urgency: 'general', keywords: ['外卖', '网购', '电商平台', '网店', '直播带货', '平台商家', '退款', '骑手', '外卖平台'] },
  { code: 'SM.05', name: '住宿服务', handling: 'sectoral', department: dist('WLJ'), coUnits: [dist('GAJ')], urgency: 'general', keywords: ['酒店', '宾馆', '民宿', '住宿', '短租', '拒绝入住', '房费', '旅馆', '退房'] },
  { code: 'SM.06', name: '营商环境与企业服务', handling: 'sectoral', department: city('FGW'), urgency: 'complex', keywords: ['营商环境', '企业', '招商', '政策兑现', '企业补贴', '审批慢', '开办企业', '中小企业', '民营企业', '融资'] },

  // ── 环境保护 ──
  { code: 'HB', name: '环境保护', handling: 'sectoral', department: dist('STHJ'), urgency: 'general', keywords: ['污染', '噪音', '油烟', '异味', '排放', '扬尘', '环保', '污水'] },
  { code: 'HB.01', name: '噪音扰民', handling: 'territorial', coUnits: [dist('CGZF')], urgency: 'general', keywords: ['噪音', '扰民', '太吵', '噪声', '吵得睡不着', '声音大', '半夜', '分贝'] },
  { code: 'HB.01.01', name: '施工噪音', handling: 'sectoral', department: dist('CGZF'), coUnits: [street], urgency: 'general', keywords: ['夜间施工', '施工噪音', '工地噪音', '打桩', '凌晨施工', '夜施证', '渣土车', '电锯', '施工扰民'] },
  { code: 'HB.01.02', name: '社会生活噪音', handling: 'territorial', coUnits: [dist('CGZF')], urgency: 'general', keywords: ['广场舞', '音响', '装修噪音', 'KTV', '酒吧', '叫卖', '空调外机', '喇叭', '商铺噪音', '邻居噪音'] },
  { code: 'HB.01.03', name: '交通噪音', handling: 'sectoral', department: city('JTW'), coUnits: [dist('STHJ')], urgency: 'complex', keywords: ['交通噪音', '隔音屏', '高架桥噪音', '火车噪音', '快速路', '鸣笛', '飞机噪音', '炸街'] },
  { code: 'HB.02', name: '餐饮油烟扰民', handling: 'territorial', coUnits: [dist('CGZF')], urgency: 'general', keywords: ['油烟', '餐饮油烟', '排烟', '烧烤', '烤串', '油烟机', '呛', '饭店排风', '炒菜味', '净化器', '露天烧烤'] },
  { code: 'HB.03', name: '大气污染', handling: 'sectoral', department: dist('STHJ'), coUnits: [street], urgency: 'general', keywords: ['扬尘', '焚烧', '露天焚烧', '烧秸秆', '黑烟', '烟囱', '工厂排放', '刺鼻气味', '锅炉', '喷漆味', '废气'] },
  { code: 'HB.04', name: '水污染', handling: 'sectoral', department: dist('STHJ'), coUnits: [dist('SWJ')], urgency: 'general', keywords: ['河道', '污水', '排污', '河水发臭', '黑臭水体', '偷排', '水质', '死鱼', '排污口'] },
  { code: 'HB.05', name: '固体废物与危险废物', handling: 'sectoral', department: dist('STHJ'), coUnits: [street], urgency: 'general', keywords: ['危险废物', '医疗废物', '倾倒', '废油', '化工废料', '固废', '偷倒', '废电池', '非法处置'] },
  { code: 'HB.06', name: '辐射与电磁', handling: 'sectoral', department: dist('STHJ'), urgency: 'general', keywords: ['辐射', '基站', '电磁', '信号塔', '变电站', '高压线', '电磁辐射', '发射塔'] },
  { code: 'HB.07', name: '建设项目环评', handling: 'sectoral', department: city('STHJ'), urgency: 'complex', keywords: ['环评', '环境影响评价', '环评公示', '建设项目', '选址', '垃圾焚烧厂', '环保验收'] },

  // ── 卫生计生 ──
  { code: 'WS', name: '卫生计生', handling: 'sectoral', department: dist('WJW'), urgency: 'general', keywords: ['医院', '医生', '看病', '卫生', '疫苗', '生育', '药品', '医疗'] },
  { code: 'WS.01', name: '医疗纠纷', handling: 'sectoral', department: dist('WJW'), urgency: 'complex', keywords: ['医疗纠纷', '误诊', '医疗事故', '手术失败', '医患', '赔偿', '投诉医生', '过度治疗', '医闹'] },
  { code: 'WS.02', name: '医疗服务', handling: 'sectoral', department: dist('WJW'), urgency: 'general', keywords: ['挂号', '看病难', '服务态度', '排队', '号贩子', '住院', '急诊', '医院收费', '检查费', '预约挂号'] },
  { code: 'WS.03', name: '社区卫生服务', handling: 'sectoral', department: dist('WJW'), urgency: 'general', keywords: ['社区医院', '社区卫生服务中心', '家庭医生', '签约', '开药', '慢病', '体检', '老年人体检'] },
  { code: 'WS.04', name: '公共卫生与疾病防控', handling: 'sectoral', department: dist('WJW'), coUnits: [street], urgency: 'general', keywords: ['传染病', '疫情', '消杀', '蚊虫', '老鼠', '蟑螂', '疫苗接种', '发热', '流感', '病媒生物'] },
  { code: 'WS.05', name: '生育与母婴健康', handling: 'sectoral', department: dist('WJW'), urgency: 'general', keywords: ['生育登记', '三孩', '独生子女', '计划生育', '出生医学证明', '产检', '建档', '母婴室', '独生子女费', '育儿补贴'] },
  { code: 'WS.06', name: '药品与医疗器械', handling: 'sectoral', department: city('YPJG'), coUnits: [dist('SCJG')], urgency: 'general', keywords: ['药品', '假药', '药店', '医疗器械', '处方药', '保健品', '化妆品', '药品质量', '过期药'] },
  { code: 'WS.07', name: '非法行医', handling: 'sectoral', department: dist('WJW'), coUnits: [dist('SCJG')], urgency: 'general', keywords: ['黑诊所', '非法行医', '无证行医', '医托', '医美', '美容院打针', '游医', '假医生'] },

  // ── 交通运输 ──
  { code: 'JT', name: '交通运输', handling: 'sectoral', department: city('JTW'), urgency: 'general', keywords: ['交通', '停车', '公交', '地铁', '出租车', '道路', '拥堵', '红绿灯'] },
  { code: 'JT.01', name: '违章停车', handling: 'sectoral', department: dist('JGJ'), coUnits: [dist('CGZF')], urgency: 'general', keywords: ['违章停车', '违停', '乱停车', '堵门', '挡道', '人行道停车', '双排停车', '占用消防通道', '停在路口', '乱停乱放'] },
  { code: 'JT.02', name: '道路占用', handling: 'territorial', coUnits: [dist('CGZF')], urgency: 'general', keywords: ['占道', '私装地锁', '路障', '堆物堆料', '石墩', '占用人行道', '僵尸车', '废弃车辆', '占用盲道'] },
  { code: 'JT.03', name: '公共交通', handling: 'sectoral', department: city('JTW'), urgency: 'general', keywords: ['公交', '地铁', '公交线路', '公交站', '发车间隔', '末班车', '司机态度', '一卡通', '换乘', '拥挤'] },
  { code: 'JT.03.01', name: '地面公交', handling: 'sectoral', department: city('JTW'), urgency: 'general', keywords: ['公交车', '公交线路', '公交站牌', '甩站', '不停站', '发车间隔', '增设线路', '公交司机', '定制公交'] },
  { code: 'JT.03.02', name: '轨道交通', handling: 'sectoral', department: city('JTW'), urgency: 'general', keywords: ['地铁', '地铁站', '出入口', '安检', '换乘', '首末班', '地铁施工', '扶梯', '地铁线路'] },
  { code: 'JT.04', name: '出租车与网约车', handling: 'sectoral', department: city('JTW'), urgency: 'general', keywords: ['出租车', '网约车', '拒载', '绕路', '宰客', '黑车', '议价', '打表', '滴滴'] },
  { code: 'JT.05', name: '交通设施与信号', handling: 'sectoral', department: dist('JGJ'), urgency: 'general', keywords: ['红绿灯', '信号灯', '交通标志', '标线', '隔离护栏', '斑马线', '减速带', '拥堵', '掉头', '左转'] },
  { code: 'JT.06', name: '道路规划与建设', handling: 'sectoral', department: city('JTW'), urgency: 'complex', keywords: ['断头路', '道路拓宽', '过街天桥', '道路施工', '规划路', '修路进度', '公路', '农村公路', '打通道路'] },
  { code: 'JT.07', name: '路侧停车与停车场', handling: 'sectoral', department: dist('CGW'), urgency: 'general', keywords: ['停车费', '路侧停车', '电子收费', '停车场', '停车乱收费', '停车位', '停车管理员', '停车收费'] },
  { code: 'JT.08', name: '共享单车', handling: 'territorial', coUnits: [city('JTW')], urgency: 'general', keywords: ['共享单车', '单车乱停', '美团单车', '哈啰', '青桔', '单车堆放', '电单车', '押金'] },
  { code: 'JT.09', name: '快递与邮政', handling: 'sectoral', department: city('YZGL'), urgency: 'general', keywords: ['快递', '包裹', '丢件', '快递柜', '驿站', '不送货上门', '邮政', '快递员', '破损', '延误'] },
  { code: 'JT.10', name: '车驾管与交通违法处理', handling: 'sectoral', department: city('JGJ'), urgency: 'general', directAnswer: true, keywords: ['驾驶证', '行驶证', '车辆年检', '违章处理', '扣分', '进京证', '号牌', '电子眼', '罚款'] },
  { code: 'JT.11', name: '小客车指标', handling: 'sectoral', department: city('JTW'), urgency: 'general', directAnswer: true, keywords: ['摇号', '小客车指标', '新能源指标', '家庭积分', '指标更新', '指标过户', '中签率'] },

  // ── 公用事业（水电气热讯） ──
  { code: 'GY', name: '公用事业', handling: 'sectoral', department: city('CGW'), urgency: 'utility', keywords: ['停水', '停电', '燃气', '暖气', '供暖', '自来水', '排水', '信号', '宽带'] },
  { code: 'GY.01', name: '供水', handling: 'sectoral', department: city('ZLS'), urgency: 'utility', keywords: ['供水', '自来水', '水管', '水表', '水费', '水压', '自来水公司'] },
  { code: 'GY.01.01', name: '停水', handling: 'sectoral', department: city('ZLS'), coUnits: [street], urgency: 'utility', keywords: ['停水', '没水', '断水', '水压低', '水小', '计划停水', '突然停水', '恢复供水', '来水时间'] },
  { code: 'GY.01.02', name: '供水管网漏水', handling: 'sectoral', department: city('ZLS'), urgency: 'utility', keywords: ['漏水', '爆管', '管道破裂', '水管漏', '冒水', '跑水', '阀门漏', '地面冒水', '水管爆裂'] },
  { code: 'GY.01.03', name: '水质', handling: 'sectoral', department: city('ZLS'), coUnits: [city('SWJ')], urgency: 'utility', keywords: ['水质', '水发黄', '浑浊', '自来水有味', '水垢', '有沉淀', '水发白', '红水'] },
  { code: 'GY.02', name: '供电', handling: 'sectoral', department: city('DL'), urgency: 'utility', keywords: ['停电', '断电', '跳闸', '电压不稳', '电压低', '供电', '来电', '电表', '电费', '计划停电'] },
  { code: 'GY.02.01', name: '停电', handling: 'sectoral', department: city('DL'), coUnits: [street], urgency: 'utility', keywords: ['停电', '断电', '突然停电', '没电', '整栋楼停电', '恢复供电', '计划停电', '频繁停电'] },
  { code: 'GY.02.02', name: '电力设施隐患', handling: 'sectoral', department: city('DL'), coUnits: [street], urgency: 'emergency', keywords: ['电线掉落', '电线杆倾斜', '变压器冒烟', '电缆', '打火', '电线老化', '漏电', '电箱'] },
  { code: 'GY.03', name: '燃气', handling: 'sectoral', department: city('RQ'), urgency: 'utility', keywords: ['燃气', '天然气', '煤气', '燃气表', '燃气费', '燃气公司'] },
  { code: 'GY.03.01', name: '燃气泄漏', handling: 'sectoral', department: city('RQ'), coUnits: [street], urgency: 'emergency', keywords: ['燃气泄漏', '煤气味', '燃气味', '漏气', '天然气味', '闻到煤气', '燃气管道', '燃气表漏', '臭鸡蛋味'] },
  { code: 'GY.03.02', name: '燃气供应与服务', handling: 'sectoral', department: city('RQ'), urgency: 'utility', keywords: ['停气', '没气', '燃气费', '燃气卡', '开通燃气', '入户安检', '气压低', '燃气表', '点不着火'] },
  { code: 'GY.03.03', name: '瓶装液化气', handling: 'sectoral', department: dist('CGW'), coUnits: [street], urgency: 'general', keywords: ['液化气', '液化石油气', '煤气罐', '换气站', '钢瓶', '送气', '黑气站'] },
  { code: 'GY.04', name: '供暖', handling: 'sectoral', department: city('RL'), urgency: 'utility', keywords: ['供暖', '暖气', '采暖', '供热', '热力公司', '采暖季'] },
  { code: 'GY.04.01', name: '供暖不热与停暖', handling: 'sectoral', department: city('RL'), coUnits: [street], urgency: 'utility', keywords: ['暖气不热', '不热', '停暖', '没暖气', '室温低', '温度不达标', '暖气片凉', '暖气漏水', '冷', '供暖故障'] },
  { code: 'GY.04.02', name: '采暖费与供暖政策', handling: 'sectoral', department: city('CGW'), urgency: 'general', directAnswer: true, keywords: ['采暖费', '供暖费', '报停', '采暖补贴', '提前供暖', '延长供暖', '供暖时间', '供暖面积'] },
  { code: 'GY.04.03', name: '农村清洁取暖', handling: 'territorial', coUnits: [dist('CGW')], urgency: 'utility', keywords: ['煤改电', '煤改气', '空气源热泵', '清洁取暖', '取暖补贴', '电暖器', '壁挂炉', '农村取暖'] },
  { code: 'GY.05', name: '排水', handling: 'sectoral', department: city('PS'), coUnits: [street], urgency: 'utility', keywords: ['排水', '下水道', '雨水', '污水', '积水', '化粪池', '排水管'] },
  { code: 'GY.05.01', name: '地下通道与立交桥积水', handling: 'sectoral', department: city('PS'), coUnits: [street], urgency: 'emergency', keywords: ['积水', '下凹桥', '立交桥积水', '地下通道积水', '桥下积水', '淹水', '涉水', '泵站', '排水不畅', '车被淹'] },
  { code: 'GY.05.02', name: '污水管道堵塞与冒溢', handling: 'sectoral', department: city('PS'), coUnits: [street], urgency: 'utility', keywords: ['下水道堵', '污水冒溢', '返水', '化粪池满', '雨水箅子', '井盖冒水', '下水不通', '污水外溢', '臭味'] },
  { code: 'GY.06', name: '通信', handling: 'sectoral', department: city('TXGL'), urgency: 'general', keywords: ['信号', '宽带', '手机', '话费', '运营商', '网络', '光纤'] },
  { code: 'GY.06.01', name: '中国移动', handling: 'sectoral', department: city('YD'), urgency: 'general', keywords: ['移动', '中国移动', '10086', '移动宽带', '移动信号', '移动套餐', '移动扣费'] },
  { code: 'GY.06.02', name: '中国联通', handling: 'sectoral', department: city('LT'), urgency: 'general', keywords: ['联通', '中国联通', '10010', '联通宽带', '联通信号', '联通套餐', '联通扣费'] },
  { code: 'GY.06.03', name: '中国电信', handling: 'sectoral', department: city('DX'), urgency: 'general', keywords: ['电信', '中国电信', '10000', '电信宽带', '电信信号', '电信套餐', '电信扣费'] },
  { code: 'GY.06.04', name: '通信服务与信号覆盖', handling: 'sectoral', department: city('TXGL'), urgency: 'general', keywords: ['没信号', '信号差', '宽带装不上', '乱扣费', '携号转网', '骚扰电话', '垃圾短信', '5G', '套餐'] },

  // ── 市场监管 ──
  { code: 'SJ', name: '市场监管', handling: 'sectoral', department: dist('SCJG'), urgency: 'general', keywords: ['商家', '消费', '质量', '价格', '食品', '执照', '假冒', '维权'] },
  { code: 'SJ.01', name: '食品安全', handling: 'sectoral', department: dist('SCJG'), urgency: 'general', keywords: ['食品安全', '过期食品', '变质', '吃出异物', '卫生差', '后厨', '健康证', '地沟油', '无证餐馆', '三无食品'] },
  { code: 'SJ.01.01', name: '食物中毒', handling: 'sectoral', department: dist('SCJG'), coUnits: [dist('WJW')], urgency: 'emergency', keywords: ['食物中毒', '吃坏肚子', '上吐下泻', '集体腹泻', '送医', '呕吐', '拉肚子'] },
  { code: 'SJ.01.02', name: '餐饮服务卫生', handling: 'sectoral', department: dist('SCJG'), urgency: 'general', keywords: ['餐馆', '饭店卫生', '后厨脏', '健康证', '餐具', '苍蝇', '老鼠', '外卖卫生', '明厨亮灶'] },
  { code: 'SJ.01.03', name: '食品质量', handling: 'sectoral', department: dist('SCJG'), urgency: 'general', keywords: ['过期', '变质', '发霉', '异物', '三无产品', '标签', '生产日期', '假冒食品', '添加剂'] },
  { code: 'SJ.02', name: '消费纠纷', handling: 'sectoral', department: dist('SCJG'), urgency: 'general', keywords: ['退货', '退款', '售后', '消费者权益', '霸王条款', '欺诈', '三包', '维权', '不给退', '12315'] },
  { code: 'SJ.03', name: '价格', handling: 'sectoral', department: dist('SCJG'), urgency: 'general', keywords: ['价格', '乱收费', '明码标价', '涨价', '价格欺诈', '哄抬价格', '收费标准', '价格过高'] },
  { code: 'SJ.04', name: '无照经营', handling: 'sectoral', department: dist('SCJG'), coUnits: [street], urgency: 'general', keywords: ['无照经营', '营业执照', '黑作坊', '非法经营', '无证经营', '没有执照', '住宅商用'] },
  { code: 'SJ.05', name: '特种设备安全', handling: 'sectoral', department: dist('SCJG'), urgency: 'general', keywords: ['特种设备', '电梯安全', '锅炉', '压力容器', '游乐设施', '电梯年检', '叉车', '起重机械'] },
  { code: 'SJ.06', name: '广告与计量', handling: 'sectoral', department: dist('SCJG'), urgency: 'general', keywords: ['虚假广告', '虚假宣传', '计量', '缺斤短两', '电子秤', '加油机', '短斤少两', '广告'] },
  { code: 'SJ.07', name: '产品质量', handling: 'sectoral', department: dist('SCJG'), urgency: 'general', keywords: ['产品质量', '假冒伪劣', '三无产品', '质量问题', '以次充好', '电动自行车', '劣质', '假货'] },
  { code: 'SJ.08', name: '企业登记', handling: 'sectoral', department: dist('SCJG'), urgency: 'general', directAnswer: true, keywords: ['注册公司', '营业执照办理', '注销', '年报', '经营异常', '变更登记', '个体户', '工商登记'] },

  // ── 公共安全 ──
  { code: 'GA', name: '公共安全', handling: 'sectoral', department: dist('GAJ'), urgency: 'general', keywords: ['安全', '隐患', '治安', '消防', '危险', '事故', '盗窃', '诈骗'] },
  { code: 'GA.01', name: '消防安全', handling: 'sectoral', department: city('XF'), coUnits: [street], urgency: 'general', keywords: ['消防', '火灾隐患', '消防通道', '灭火器', '消火栓', '飞线充电', '电动车进楼', '楼道堆物'] },
  { code: 'GA.01.01', name: '火情', handling: 'sectoral', department: city('XF'), coUnits: [street], urgency: 'emergency', keywords: ['着火', '火灾', '起火', '冒烟', '浓烟', '烧起来', '火情', '爆炸'] },
  { code: 'GA.01.02', name: '消防通道与隐患', handling: 'territorial', coUnits: [city('XF')], urgency: 'general', keywords: ['消防通道', '堵塞', '消火栓', '灭火器过期', '飞线充电', '电动自行车充电', '楼道堆物', '安全出口', '消防设施'] },
  { code: 'GA.02', name: '社会治安', handling: 'sectoral', department: dist('GAJ'), urgency: 'general', keywords: ['治安', '打架', '盗窃', '诈骗', '可疑人员', '赌博', '涉黄', '偷', '抢', '寻衅滋事'] },
  { code: 'GA.03', name: '户籍与身份证', handling: 'sectoral', department: dist('GAJ'), urgency: 'general', directAnswer: true, keywords: ['户口', '户籍', '身份证', '迁户口', '集体户', '出生登记', '户口本', '投靠', '销户'] },
  { code: 'GA.04', name: '安全生产', handling: 'sectoral', department: dist('YJGL'), coUnits: [street], urgency: 'general', keywords: ['安全生产', '安全隐患', '危险化学品', '非法储存', '违规作业', '生产事故', '有限空间', '易燃易爆'] },
  { code: 'GA.05', name: '自然灾害与突发事件', handling: 'territorial', coUnits: [dist('YJGL')], urgency: 'emergency', keywords: ['暴雨', '大风', '山洪', '泥石流', '滑坡', '被困', '倒塌', '冰雹', '险情'] },
  { code: 'GA.06', name: '犬只与动物管理', handling: 'sectoral', department: dist('GAJ'), coUnits: [street], urgency: 'general', keywords: ['养狗', '遛狗不拴绳', '犬只', '狗咬人', '流浪狗', '狗叫', '犬证', '大型犬', '流浪猫'] },

  // ── 民政与社会事务 ──
  { code: 'MZ', name: '民政与社会事务', handling: 'sectoral', department: dist('MZJ'), urgency: 'general', keywords: ['养老', '低保', '救助', '残疾', '婚姻', '殡葬', '社区', '老人'] },
  { code: 'MZ.01', name: '养老服务', handling: 'sectoral', department: dist('MZJ'), coUnits: [street], urgency: 'general', keywords: ['养老院', '养老驿站', '老年餐桌', '居家养老', '护理', '高龄津贴', '助餐', '老年卡', '失能老人', '适老化改造'] },
  { code: 'MZ.02', name: '社会救助', handling: 'sectoral', department: dist('MZJ'), coUnits: [street], urgency: 'general', keywords: ['低保', '特困', '临时救助', '困难家庭', '低收入', '救助金', '生活困难', '大病救助'] },
  { code: 'MZ.03', name: '残疾人服务', handling: 'sectoral', department: dist('MZJ'), coUnits: [street], urgency: 'general', keywords: ['残疾人', '残疾证', '无障碍', '轮椅', '残疾补贴', '护理补贴', '康复', '辅具'] },
  { code: 'MZ.04', name: '婚姻登记', handling: 'sectoral', department: dist('MZJ'), urgency: 'general', directAnswer: true, keywords: ['结婚登记', '离婚登记', '婚姻登记处', '结婚证', '补领结婚证', '离婚冷静期', '预约登记'] },
  { code: 'MZ.05', name: '殡葬服务', handling: 'sectoral', department: dist('MZJ'), urgency: 'general', keywords: ['殡葬', '墓地', '骨灰', '公墓', '丧葬费', '火化', '祭扫', '殡仪馆', '墓穴'] },
  { code: 'MZ.06', name: '社区治理与服务', handling: 'territorial', urgency: 'general', keywords: ['居委会', '社区工作者', '村委会', '社区服务', '社区活动', '换届选举', '开证明', '村务公开'] },
  { code: 'MZ.07', name: '邻里与家庭纠纷', handling: 'territorial', urgency: 'general', keywords: ['邻里纠纷', '邻居', '家庭矛盾', '调解', '楼上', '楼下', '吵架', '家暴', '赡养'] },
  { code: 'MZ.08', name: '流浪乞讨与未成年人保护', handling: 'sectoral', department: dist('MZJ'), coUnits: [street], urgency: 'general', keywords: ['流浪乞讨', '流浪人员', '救助站', '乞讨', '儿童保护', '留守儿童', '困境儿童', '露宿'] },
  { code: 'MZ.09', name: '退役军人服务', handling: 'sectoral', department: city('TYJR'), urgency: 'general', keywords: ['退役军人', '退伍', '复员', '优抚', '军属', '伤残军人', '安置', '优待证'] },
  { code: 'MZ.10', name: '法律服务', handling: 'sectoral', department: city('SFJ'), urgency: 'general', directAnswer: true, keywords: ['法律援助', '律师', '公证', '司法鉴定', '法律咨询', '律师事务所', '公证处'] },

  // ── 政务服务与咨询 ──
  { code: 'ZW', name: '政务服务与咨询', handling: 'sectoral', department: city('ZWFW'), urgency: 'general', directAnswer: true, keywords: ['咨询', '办理', '政策', '材料', '流程', '窗口', '预约', '审批'] },
  { code: 'ZW.01', name: '居住证办理', handling: 'sectoral', department: dist('GAJ'), urgency: 'general', directAnswer: true, keywords: ['居住证', '办理居住证', '居住登记', '暂住证', '居住证签注', '居住证续签', '居住证到期', '非京籍'] },
  { code: 'ZW.02', name: '政务服务办事', handling: 'sectoral', department: city('ZWFW'), urgency: 'general', keywords: ['政务服务中心', '办事大厅', '窗口', '排队', '一网通办', '网上办理', '材料多', '跑多次', '审批'] },
  { code: 'ZW.03', name: '政策咨询', handling: 'sectoral', department: city('ZWFW'), urgency: 'general', directAnswer: true, keywords: ['咨询', '怎么办理', '需要什么材料', '办理条件', '流程', '政策', '在哪里办', '标准是多少'] },
  { code: 'ZW.04', name: '住房公积金', handling: 'sectoral', department: city('GJJ'), urgency: 'general', directAnswer: true, keywords: ['公积金', '公积金提取', '公积金贷款', '缴存', '租房提取', '公积金基数', '公积金转移'] },
  { code: 'ZW.05', name: '出入境证件', handling: 'sectoral', department: city('GAJ'), urgency: 'general', directAnswer: true, keywords: ['护照', '港澳通行证', '签注', '出入境', '台湾通行证', '外国人居留', '签证'] },
  { code: 'ZW.06', name: '工作作风与效能', handling: 'district', urgency: 'general', keywords: ['不作为', '推诿', '态度差', '工作人员', '乱作为', '效率低', '吃拿卡要', '踢皮球', '办事难'] },
  { code: 'ZW.07', name: '热线服务', handling: 'sectoral', department: city('12345'), urgency: 'general', keywords: ['12345', '热线', '话务员', '回访', '工单', '打不通', '答复不满意', '重复派单'] },

  // ── 其他 ──
  { code: 'QT', name: '其他', handling: 'district', urgency: 'general', keywords: ['其他', '反映', '建议', '表扬', '综合'] },
  { code: 'QT.01', name: '表扬与感谢', handling: 'district', urgency: 'general', keywords: ['表扬', '感谢', '锦旗', '点赞', '好人好事', '称赞', '服务好', '负责任'] },
  { code: 'QT.02', name: '意见建议', handling: 'district', urgency: 'general', keywords: ['建议', '意见', '希望', '呼吁', '提议', '能否', '建议增设', '合理化建议'] },
  { code: 'QT.03', name: '非本市事项', handling: 'sectoral', department: city('12345'), urgency: 'general', keywords: ['外地', '外省', '燕郊', '河北', '天津', '非本市', '中央单位', '部委', '老家'] },
  { code: 'QT.04', name: '其他诉求', handling: 'district', urgency: 'general', keywords: ['其他', '无法归类', '不清楚找谁', '综合问题', '多部门', '反映问题'] },
];

// The parent is the code without its last segment, so it cannot drift from the code.
const withParent = (row: Row): Category => {
  const cut = row.code.lastIndexOf('.');
  return cut < 0 ? row : { ...row, parent: row.code.slice(0, cut) };
};

/** The default dispatch catalogue: 13 top-level categories in a three-level tree, parents before children. */
export const defaultCategories: readonly Category[] = rows.map(withParent);
