/**
 * Reading an upload of historical orders: CSV (UTF-8, with or without BOM), xlsx (the first sheet) or JSONL, into
 * rows keyed by column, each with its line number (the spreadsheet row for xlsx). A file that cannot be read at all,
 * or whose headings name unknown columns, is refused as a whole before anything is written.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { columnOf, importColumns, type ImportColumn, type RowProblem } from './columns.js';

export const importFormats = ['csv', 'xlsx', 'jsonl'] as const;
export type ImportFormat = (typeof importFormats)[number];

export type SourceRow = { line: number; rec: Partial<Record<ImportColumn, unknown>> };
export type ReadResult = { rows: SourceRow[]; rejects: { line: number; problems: RowProblem[] }[] };

export class ImportFileError extends Error {
  constructor(
    message: string,
    public readonly field: string = 'file',
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

/** The format from a file name: `orders.xlsx` → 'xlsx'; null when it is none of ours. */
export function formatOfName(name: string): ImportFormat | null {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  if (ext === 'ndjson') return 'jsonl';
  return (importFormats as readonly string[]).includes(ext) ? (ext as ImportFormat) : null;
}

function headingsToColumns(headings: string[]): (ImportColumn | null)[] {
  const cols = headings.map((h) => (h.trim() === '' ? null : columnOf(h)));
  const unknown = headings.filter((h, i) => h.trim() !== '' && cols[i] === null);
  if (unknown.length) throw new ImportFileError(`表头含未知列：${unknown.join('、')}（可用列见文档，例如 ${Object.keys(importColumns).slice(0, 6).join('、')}…）`, 'header');
  const seen = new Set<ImportColumn>();
  for (const c of cols) {
    if (!c) continue;
    if (seen.has(c)) throw new ImportFileError(`表头列重复：${importColumns[c].label}`, 'header');
    seen.add(c);
  }
  const missing = (Object.keys(importColumns) as ImportColumn[]).filter((k) => importColumns[k].required && !seen.has(k));
  if (missing.length) throw new ImportFileError(`表头缺少必填列：${missing.map((k) => `${k}（${importColumns[k].label}）`).join('、')}`, 'header');
  return cols;
}

function readCsv(buf: Buffer): ReadResult {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(buf, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    throw new ImportFileError(`CSV 无法解析：${err instanceof Error ? err.message : String(err)}`);
  }
  const [head, ...body] = records;
  if (!head) throw new ImportFileError('文件为空');
  const cols = headingsToColumns(head.record);
  const out: ReadResult = { rows: [], rejects: [] };
  for (const r of body) {
    if (r.record.length !== cols.length) {
      out.rejects.push({ line: r.info.lines, problems: [{ field: 'row', code: 'COLUMN_COUNT', reason: `列数 ${r.record.length} 与表头 ${cols.length} 不符` }] });
      continue;
    }
    const rec: SourceRow['rec'] = {};
    cols.forEach((c, i) => {
      if (c) rec[c] = r.record[i];
    });
    out.rows.push({ line: r.info.lines, rec });
  }
  return out;
}

function cellValue(v: ExcelJS.CellValue): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return cellValue(v.result);
    if ('text' in v) return String(v.text);
  }
  return null;
}

async function readXlsx(buf: Buffer): Promise<ReadResult> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch (err) {
    throw new ImportFileError(`xlsx 无法解析：${err instanceof Error ? err.message : String(err)}`);
  }
  const ws = wb.worksheets[0];
  if (!ws || ws.rowCount === 0) throw new ImportFileError('工作表为空');
  const headRow = ws.getRow(1);
  const headings: string[] = [];
  for (let i = 1; i <= headRow.cellCount; i++) {
    const h = cellValue(headRow.getCell(i).value);
    headings.push(typeof h === 'string' || typeof h === 'number' ? String(h) : '');
  }
  const cols = headingsToColumns(headings);
  const out: ReadResult = { rows: [], rejects: [] };
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    if (n === 1) return;
    const rec: SourceRow['rec'] = {};
    // xlsx dates are wall-clock times stored as UTC; read them as Beijing time, like the text forms.
    cols.forEach((c, i) => {
      if (!c) return;
      const v = cellValue(row.getCell(i + 1).value);
      rec[c] = v instanceof Date ? v.toISOString().slice(0, 19).replace('T', ' ') : v;
    });
    out.rows.push({ line: n, rec });
  });
  return out;
}

function readJsonl(buf: Buffer): ReadResult {
  const out: ReadResult = { rows: [], rejects: [] };
  const lines = buf.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch (err) {
      out.rejects.push({ line, problems: [{ field: 'row', code: 'BAD_JSON', reason: `JSON 格式错误：${err instanceof Error ? err.message : String(err)}` }] });
      return;
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      out.rejects.push({ line, problems: [{ field: 'row', code: 'BAD_JSON', reason: '每行应为一个 JSON 对象' }] });
      return;
    }
    const rec: SourceRow['rec'] = {};
    const unknown: string[] = [];
    for (const [k, val] of Object.entries(v)) {
      const c = columnOf(k);
      if (c) rec[c] = val;
      else unknown.push(k);
    }
    if (unknown.length) out.rejects.push({ line, problems: [{ field: unknown[0] ?? 'row', code: 'UNKNOWN_FIELD', reason: `未知字段：${unknown.join('、')}` }] });
    else out.rows.push({ line, rec });
  });
  return out;
}

/** Read the whole upload; throws ImportFileError when the file as a whole is unusable. */
export async function readImportFile(format: ImportFormat, buf: Buffer): Promise<ReadResult> {
  if (buf.length === 0) throw new ImportFileError('文件为空');
  switch (format) {
    case 'csv':
      return readCsv(buf);
    case 'xlsx':
      return readXlsx(buf);
    case 'jsonl':
      return readJsonl(buf);
  }
}
