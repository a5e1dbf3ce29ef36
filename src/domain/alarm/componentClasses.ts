/**
 * 城市部件 classes after GB/T 30428 (digital city management): a 4-digit code, 2 digits of major class and 2 of
 * subclass. The major classes are the standard's; the subclass names below are the commonly used ones and are
 * a convenience — an import may give any subclass of a known major class with its own name.
 */
export const componentMajorClasses: Record<string, string> = {
  '01': '公用设施',
  '02': '道路交通',
  '03': '市容环境',
  '04': '园林绿化',
  '05': '房屋土地',
  '06': '其他设施',
};

/** Names of common subclasses (verify against the edition your city uses). */
export const componentClassNames: Record<string, string> = {
  '0101': '上水井盖',
  '0102': '污水井盖',
  '0103': '雨水井盖',
  '0104': '雨水箅子',
  '0105': '电力井盖',
  '0106': '路灯井盖',
  '0107': '通信井盖',
  '0111': '燃气井盖',
  '0114': '消防栓',
  '0118': '路灯',
  '0201': '公交站亭',
  '0206': '交通信号灯',
  '0210': '隔离护栏',
  '0301': '公共厕所',
  '0304': '垃圾箱',
  '0305': '果皮箱',
  '0401': '古树名木',
  '0402': '行道树',
};

export const componentStates = ['normal', 'damaged', 'missing', 'removed'] as const;
export type ComponentState = (typeof componentStates)[number];
export const componentStateLabels: Record<ComponentState, string> = { normal: '完好', damaged: '损坏', missing: '丢失', removed: '已拆除' };

/**
 * The class name for a code, or a Chinese reason it is not acceptable.
 * @example componentClass('0101') // → { code: '0101', name: '上水井盖', major: '公用设施' }
 */
export function componentClass(code: string, name?: string | null): { code: string; name: string; major: string } | { error: string } {
  if (!/^\d{4}$/.test(code)) return { error: '部件类别编码须为4位数字（大类2位 + 小类2位）' };
  const major = componentMajorClasses[code.slice(0, 2)];
  if (!major) return { error: `未知的部件大类 ${code.slice(0, 2)}（可选：${Object.keys(componentMajorClasses).join('、')}）` };
  const known = componentClassNames[code];
  const given = name?.trim();
  if (!known && !given) return { error: `部件小类 ${code} 不在内置表中，须给出类别名称` };
  return { code, name: given || (known as string), major };
}
