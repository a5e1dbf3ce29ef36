/**
 * A ranking as a spreadsheet (xlsx, via exceljs) or CSV (RFC 4180, UTF-8 with a byte-order mark so Excel reads the
 * Chinese), with the same columns: rank, unit, score, the three rates and every count behind them, last month.
 */
import ExcelJS from 'exceljs';
import { rankingKindLabels, type Ranking, type RankingRow } from './rankings.js';

type Column = { header: string; width: number; value: (r: RankingRow) => string | number | null; format?: 'percent' | 'points' | 'int' | 'text' };

function columnsOf(ranking: Ranking): Column[] {
  return [
    { header: '排名', width: 6, value: (r) => r.rank, format: 'int' },
    { header: '单位编码', width: 12, value: (r) => r.code, format: 'text' },
    { header: '单位', width: 22, value: (r) => r.name, format: 'text' },
    ...(ranking.kind === 'street' ? [{ header: '所属区', width: 10, value: (r: RankingRow) => r.district?.name ?? '', format: 'text' as const }] : []),
    { header: '综合得分', width: 9, value: (r) => r.score, format: 'points' },
    { header: '响应率', width: 8, value: (r) => r.responseRate, format: 'percent' },
    { header: '解决率', width: 8, value: (r) => r.resolutionRate, format: 'percent' },
    { header: '满意率', width: 8, value: (r) => r.satisfactionRate, format: 'percent' },
    { header: '参评工单', width: 9, value: (r) => r.counts.assessed, format: 'int' },
    { header: '按时响应', width: 9, value: (r) => r.counts.responseMet, format: 'int' },
    { header: '响应超时', width: 9, value: (r) => r.counts.responseLate, format: 'int' },
    { header: '响应未定', width: 9, value: (r) => r.counts.responsePending, format: 'int' },
    { header: '已回访', width: 8, value: (r) => r.counts.followedUp, format: 'int' },
    { header: '解决', width: 7, value: (r) => r.counts.resolved, format: 'int' },
    { header: '部分解决', width: 9, value: (r) => r.counts.partly, format: 'int' },
    { header: '未解决', width: 8, value: (r) => r.counts.unresolved, format: 'int' },
    { header: '满意', width: 7, value: (r) => r.counts.satisfied, format: 'int' },
    { header: '基本满意', width: 9, value: (r) => r.counts.basic, format: 'int' },
    { header: '不满意', width: 8, value: (r) => r.counts.unsatisfied, format: 'int' },
    { header: '未评价', width: 8, value: (r) => r.counts.noAnswer, format: 'int' },
    { header: '不计考核', width: 9, value: (r) => r.counts.excluded, format: 'int' },
    { header: '上月排名', width: 9, value: (r) => r.previousRank, format: 'int' },
    { header: '名次变化', width: 9, value: (r) => r.rankChange, format: 'int' },
    { header: '上月得分', width: 9, value: (r) => r.previousScore, format: 'points' },
    { header: '得分变化', width: 9, value: (r) => r.scoreChange, format: 'points' },
    { header: '重点关注', width: 9, value: (r) => (r.attention ? '是' : ''), format: 'text' },
  ];
}

/** `2026年10月街道（乡镇）三率考核排名` */
export function rankingTitle(ranking: Ranking): string {
  const [y, m] = ranking.month.split('-');
  return `${y}年${Number(m)}月${rankingKindLabels[ranking.kind]}三率考核排名`;
}

/** ASCII name for clients that ignore `filename*`: `ranking-street-2026-10`. */
export function rankingFileStem(ranking: Ranking): string {
  return `ranking-${ranking.kind}-${ranking.month}`;
}

function policyLine(ranking: Ranking): string {
  const p = ranking.policy;
  const pctText = (x: number) => `${Math.round(x * 100)}%`;
  return `口径：综合得分 = 响应率×${p.weights.response}% + 解决率×${p.weights.resolution}% + 满意率×${p.weights.satisfaction}%；部分解决按${pctText(p.partlyResolvedCredit)}、基本满意按${pctText(p.basicSatisfiedCredit)}计；${ranking.source === 'snapshot' ? `已关账（${ranking.countedAt ?? ''}）` : ranking.source === 'provisional' ? `未关账，统计于 ${ranking.countedAt ?? ''}` : '实时数据，未关账'}`;
}

export async function rankingXlsx(ranking: Ranking): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Jiesu 接诉';
  const ws = wb.addWorksheet(`${ranking.month} 排名`, { views: [{ state: 'frozen', ySplit: 3 }] });
  const cols = columnsOf(ranking);
  ws.columns = cols.map((c) => ({ width: c.width }));
  ws.addRow([rankingTitle(ranking)]).font = { bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, cols.length);
  ws.addRow([policyLine(ranking)]).font = { color: { argb: 'FF666666' }, size: 9 };
  ws.mergeCells(2, 1, 2, cols.length);
  const head = ws.addRow(cols.map((c) => c.header));
  head.font = { bold: true };
  head.alignment = { horizontal: 'center' };
  head.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F0FA' } };
  });
  for (const r of ranking.rows) {
    const row = ws.addRow(cols.map((c) => c.value(r)));
    cols.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      if (c.format === 'percent') cell.numFmt = '0.0%';
      else if (c.format === 'points') cell.numFmt = '0.00';
    });
    if (r.attention) {
      row.eachCell((cell) => {
        cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDECEA' } };
      });
    }
  }
  ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: cols.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** One CSV field: quoted when it must be; text that a spreadsheet would run as a formula is defused. */
function csvField(v: string | number | null, text: boolean): string {
  if (v === null) return '';
  let s = String(v);
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function rankingCsv(ranking: Ranking): Buffer {
  const cols = columnsOf(ranking);
  const cell = (c: Column, r: RankingRow): string => {
    const v = c.value(r);
    if (c.format === 'percent' && typeof v === 'number') return `${(v * 100).toFixed(2)}%`;
    if (c.format === 'points' && typeof v === 'number') return v.toFixed(2);
    return csvField(v, c.format === 'text');
  };
  const lines = [cols.map((c) => csvField(c.header, true)).join(','), ...ranking.rows.map((r) => cols.map((c) => cell(c, r)).join(','))];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}
