/**
 * Texts of the alert-model page (预警模型), Chinese first. Kept beside the page (as the command screen does) so the
 * feature stays in its own files; keys follow the `area.thing` style.
 */
import type { Lang } from '../../i18n';

const zh = {
  'am.title': '预警模型',
  'am.new': '新建模型',
  'am.edit': '编辑预警模型',
  'am.create': '新建预警模型',
  'am.empty': '还没有预警模型',
  'am.name': '名称',
  'am.description': '说明',
  'am.source': '数据来源',
  'am.kind': '规则类型',
  'am.severity': '级别',
  'am.scope': '适用范围',
  'am.metric': '指标（如 level）',
  'am.sensorKind': '传感器类型（如 water_level）',
  'am.eventKind': '事件类型（如 illegal_parking）',
  'am.table': '外部数据表（如 health_certificates）',
  'am.params': '规则参数（JSON）',
  'am.paramsHint': '阈值 {"op":"gt","value":20}；持续 {"op":"gt","value":20,"minutes":5}；重复 {"times":3,"minutes":30}；变化率 {"direction":"up","amount":5,"minutes":10}；围栏 {"mode":"leave","gridIds":["…"]}；到期 {"withinDays":30}；事件 {"minConfidence":0.8}',
  'am.paramsInvalid': '不是有效的 JSON 对象',
  'am.category': '转工单目录编码',
  'am.autoDispatch': '告警即自动立案',
  'am.active': '启用',
  'am.recovery': '自动解除',
  'am.recoveryOn': '条件消失后自动解除告警',
  'am.recoveryMinutes': '持续分钟数',
  'am.recoveryValue': '恢复值（可选，回差）',
  'am.recoveryValueHint': '例：高于 20 告警、低于 15 才解除；不填则回到告警值以内即算恢复',
  'am.mode.reading': '读数回到正常一侧并持续 N 分钟后自动解除（0：首个正常读数即解除）',
  'am.mode.geofence': '回到非告警一侧并持续 N 分钟后自动解除（0：立即）',
  'am.mode.silence': 'N 分钟内未再触发即自动解除（每分钟巡检一次）',
  'am.mode.renewal': '数据续期超出提醒期或被删除后，在下一次到期巡检（每 5 分钟）时自动解除',
  'am.manualOnly': '仅人工解除',
  'am.sum.reading': '恢复持续 {minutes} 分钟',
  'am.sum.readingBelow': '回落到 {value} 以下持续 {minutes} 分钟',
  'am.sum.readingAbove': '回升到 {value} 以上持续 {minutes} 分钟',
  'am.sum.silence': '{minutes} 分钟无触发',
  'am.sum.renewal': '续期或删除后',
  'am.yes': '是',
  'am.no': '否',
  'am.inactive': '已停用',
  'am.saved': '预警模型已保存',
};

export type AlertModelKey = keyof typeof zh;

const en: Record<AlertModelKey, string> = {
  'am.title': 'Alert models',
  'am.new': 'New model',
  'am.edit': 'Edit alert model',
  'am.create': 'New alert model',
  'am.empty': 'No alert models yet',
  'am.name': 'Name',
  'am.description': 'Description',
  'am.source': 'Source',
  'am.kind': 'Rule',
  'am.severity': 'Severity',
  'am.scope': 'Scope',
  'am.metric': 'Metric (e.g. level)',
  'am.sensorKind': 'Sensor kind (e.g. water_level)',
  'am.eventKind': 'Event kind (e.g. illegal_parking)',
  'am.table': 'External table (e.g. health_certificates)',
  'am.params': 'Rule parameters (JSON)',
  'am.paramsHint': 'threshold {"op":"gt","value":20}; duration {"op":"gt","value":20,"minutes":5}; repeat {"times":3,"minutes":30}; rate {"direction":"up","amount":5,"minutes":10}; geofence {"mode":"leave","gridIds":["…"]}; expiry {"withinDays":30}; event {"minConfidence":0.8}',
  'am.paramsInvalid': 'Not a valid JSON object',
  'am.category': 'Work-order category code',
  'am.autoDispatch': 'Make a work order at once',
  'am.active': 'Active',
  'am.recovery': 'Automatic clear',
  'am.recoveryOn': 'Clear the alarm when its condition stops holding',
  'am.recoveryMinutes': 'For minutes',
  'am.recoveryValue': 'Recovery value (optional, hysteresis)',
  'am.recoveryValueHint': 'e.g. raise above 20, clear only below 15; empty: back within the threshold counts',
  'am.mode.reading': 'Clears after the reading has been back on the normal side for N minutes (0: the first normal reading)',
  'am.mode.geofence': 'Clears after the source has been back on the non-alarming side for N minutes (0: at once)',
  'am.mode.silence': 'Clears when it has not fired for N minutes (checked every minute)',
  'am.mode.renewal': 'Clears at the next expiry sweep (every 5 minutes) once the row is renewed past the window or removed',
  'am.manualOnly': 'People only',
  'am.sum.reading': 'normal for {minutes} min',
  'am.sum.readingBelow': 'below {value} for {minutes} min',
  'am.sum.readingAbove': 'above {value} for {minutes} min',
  'am.sum.silence': '{minutes} min without firing',
  'am.sum.renewal': 'when renewed or removed',
  'am.yes': 'yes',
  'am.no': 'no',
  'am.inactive': 'inactive',
  'am.saved': 'Alert model saved',
};

const dictionaries: Record<Lang, Record<AlertModelKey, string>> = { zh, en };

/** `const tx = alertModelText(lang); tx('am.sum.silence', { minutes: 30 })` */
export function alertModelText(lang: Lang): (key: AlertModelKey, vars?: Record<string, string | number>) => string {
  return (key, vars) => {
    let s: string = dictionaries[lang][key] ?? zh[key];
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
    return s;
  };
}
