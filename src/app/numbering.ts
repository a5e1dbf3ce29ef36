/** Human-readable numbers (工单编号 GD…, 诉求编号 SQ…, 哨令编号 CS…): a prefix, the Beijing date, a sequence value. */
import { shanghaiDate } from '../domain/deadline/index.js';

/** formatNo('GD', new Date('2026-09-29T13:40:00Z'), 42) → 'GD202609290000042' */
export function formatNo(prefix: string, now: Date, n: number | string): string {
  return `${prefix}${shanghaiDate(now).replaceAll('-', '')}${String(Number(n)).padStart(7, '0')}`;
}
