/**
 * Texts of the command screen (指挥大屏), Chinese first. Kept beside the page (as the assessment pages do) so the
 * feature stays in its own files; keys follow the `area.thing` style.
 */
import type { Lang } from '../../i18n';

const zh = {
  'cmd.title': '城市运行指挥大屏',
  'cmd.area': '当前区域',
  'cmd.back': '返回上级',
  'cmd.fullscreen': '全屏',
  'cmd.exitFullscreen': '退出全屏',
  'cmd.updated': '指标更新于 {at}',
  'cmd.source.stored': '定时计算',
  'cmd.source.computed': '实时计算',
  'cmd.refresh': '立即计算',
  'cmd.indicators': '核心指标',
  'cmd.map': '态势地图',
  'cmd.mapMeasure': '地图着色',
  'cmd.drillHint': '点击区域下钻',
  'cmd.children': '{level}排名',
  'cmd.alarms': '实时告警',
  'cmd.orders': '新工单',
  'cmd.patrols': '网格巡查',
  'cmd.review': '待审核派单',
  'cmd.noAlarms': '暂无未处置告警',
  'cmd.cleared': '最近解除',
  'cmd.noCleared': '暂无已解除告警',
  'cmd.autoCleared': '自动解除',
  'cmd.manualCleared': '人工解除',
  'cmd.noOrders': '暂无新工单',
  'cmd.noPatrols': '暂无巡查上报',
  'cmd.noReview': '审核队列为空',
  'cmd.dispatch': '一键派单',
  'cmd.dispatchTo': '派至 {unit}？',
  'cmd.dispatchNoUnit': '没有建议的承办单位，请到派单中心处理',
  'cmd.dispatched': '工单 {no} 已派至 {unit}',
  'cmd.toOrder': '转工单',
  'cmd.toOrderConfirm': '将告警 {no} 转为工单？',
  'cmd.ordered': '告警已转为工单 {no}',
  'cmd.hasOrder': '已转工单 {no}',
  'cmd.legend.orders': '在办工单',
  'cmd.legend.overdue': '超期工单',
  'cmd.legend.alarms': '告警',
  'cmd.legend.patrols': '巡查',
  'cmd.legend.units': '下级单位',
  'cmd.legend.grids': '网格',
  'cmd.colour.green': '正常',
  'cmd.colour.yellow': '关注',
  'cmd.colour.red': '警示',
  'cmd.colour.none': '无阈值',
  'cmd.noValue': '无数据',
  'cmd.openDispatch': '派单中心',
  'cmd.openLeader': '驾驶舱',
  'cmd.pollHint': '告警每 15 秒刷新；工单变化实时推送',
  'cmd.outOfScope': '该区域不在您的辖区内',
  'cmd.pendingReview': '待审核',
  'cmd.tip.load': '在办 {open} · 超期 {overdue}',
  'cmd.tip.overdue': '超期',
  'cmd.noPoints': '本区域的下级单位暂无坐标或网格边界，地图仅显示上级轮廓；各单位指标见左侧排名',
};

export type CommandKey = keyof typeof zh;

const en: Record<CommandKey, string> = {
  'cmd.title': 'City operations command screen',
  'cmd.area': 'Area',
  'cmd.back': 'Up one level',
  'cmd.fullscreen': 'Full screen',
  'cmd.exitFullscreen': 'Exit full screen',
  'cmd.updated': 'Indicators as of {at}',
  'cmd.source.stored': 'scheduled',
  'cmd.source.computed': 'computed now',
  'cmd.refresh': 'Compute now',
  'cmd.indicators': 'Key indicators',
  'cmd.map': 'Situation map',
  'cmd.mapMeasure': 'Colour by',
  'cmd.drillHint': 'Click an area to drill in',
  'cmd.children': '{level} ranking',
  'cmd.alarms': 'Live alarms',
  'cmd.orders': 'New orders',
  'cmd.patrols': 'Grid patrols',
  'cmd.review': 'Review queue',
  'cmd.noAlarms': 'No open alarms',
  'cmd.cleared': 'Recently cleared',
  'cmd.noCleared': 'No cleared alarms',
  'cmd.autoCleared': 'Cleared by itself',
  'cmd.manualCleared': 'Cleared',
  'cmd.noOrders': 'No new orders',
  'cmd.noPatrols': 'No patrol reports',
  'cmd.noReview': 'The review queue is empty',
  'cmd.dispatch': 'Dispatch',
  'cmd.dispatchTo': 'Dispatch to {unit}?',
  'cmd.dispatchNoUnit': 'No proposed unit: handle it in the dispatch centre',
  'cmd.dispatched': 'Order {no} dispatched to {unit}',
  'cmd.toOrder': 'To order',
  'cmd.toOrderConfirm': 'Turn alarm {no} into a work order?',
  'cmd.ordered': 'Alarm became order {no}',
  'cmd.hasOrder': 'Order {no}',
  'cmd.legend.orders': 'Open orders',
  'cmd.legend.overdue': 'Overdue',
  'cmd.legend.alarms': 'Alarms',
  'cmd.legend.patrols': 'Patrols',
  'cmd.legend.units': 'Units below',
  'cmd.legend.grids': 'Grid cells',
  'cmd.colour.green': 'Normal',
  'cmd.colour.yellow': 'Watch',
  'cmd.colour.red': 'Alert',
  'cmd.colour.none': 'No thresholds',
  'cmd.noValue': 'No data',
  'cmd.openDispatch': 'Dispatch centre',
  'cmd.openLeader': 'Dashboard',
  'cmd.pollHint': 'Alarms refresh every 15 s; order changes arrive live',
  'cmd.outOfScope': 'This area is outside your jurisdiction',
  'cmd.pendingReview': 'In review',
  'cmd.tip.load': 'Open {open} · overdue {overdue}',
  'cmd.tip.overdue': 'overdue',
  'cmd.noPoints': 'No coordinates or grid outlines below this area yet: the map shows the outline only; see the ranking for each unit',
};

const dictionaries: Record<Lang, Record<CommandKey, string>> = { zh, en };

/** English names of the built-in indicators (the server names them in Chinese, which the Chinese UI shows as is). */
const indicatorNamesEn: Record<string, string> = {
  'orders.open': 'Open orders',
  'orders.month_by_category': 'Orders this month',
  'orders.new_today': 'New orders today',
  'orders.overdue_open': 'Overdue, still open',
  'rates.response': 'Response rate (month)',
  'rates.resolution': 'Resolution rate (month)',
  'rates.satisfaction': 'Satisfaction rate (month)',
  'alarms.open': 'Open alarms',
  'sensors.water_level_max': 'Highest water level',
  'sensors.noise_avg': 'Average noise',
};

/** An indicator's name in the UI language: `indicatorName('en', 'alarms.open', '未处置告警')` → 'Open alarms'. */
export function indicatorName(lang: Lang, key: string, serverName: string): string {
  return lang === 'en' ? (indicatorNamesEn[key] ?? serverName) : serverName;
}

/** `const tx = commandText(lang); tx('cmd.dispatchTo', { unit: '望京街道' })` */
export function commandText(lang: Lang): (key: CommandKey, vars?: Record<string, string | number>) => string {
  return (key, vars) => {
    let s: string = dictionaries[lang][key] ?? zh[key];
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
    return s;
  };
}
