/**
 * `npx jiesu locate < in.jsonl > out.jsonl`: geocode requests in bulk with the same locator intake uses.
 * Rows `{id, title?, body, address?, lat?, lng?}` → `{id, district, street, community, codes, confidence, evidence}`,
 * one line out per good line in, in order, streamed. Bad lines are reported on stderr with their line number and
 * skipped; the exit code is then 1.
 */
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import type { CliCommand } from '../command.js';
import { eachJsonlRow } from '../jsonl.js';
import { locate } from '../../intelligence/locate/locate.js';
import type { LocateInput } from '../../intelligence/locate/locate.js';

const HELP = `用法 / usage: npx jiesu locate < in.jsonl > out.jsonl

逐行读取 JSONL 诉求，输出所在的区、街道（乡镇）、社区（村）及其行政区划代码。
Reads one JSON request per line and writes one JSON location per line, in the same order.

输入 / input:   {"id": "1", "title": "…", "body": "…", "address": "…", "lat": 39.99, "lng": 116.47}
                id and body are required; title, address, lat, lng are optional (degrees; district
                boundaries are good to about 100 m)
输出 / output:  {"id": "1", "district": "朝阳区", "street": "望京街道", "community": "…",
                 "codes": {"district": "110105", "street": "110105026", "community": "…"},
                 "confidence": 0.9, "evidence": ["…"]}
                names and codes are null when they cannot be decided; evidence says why.

格式错误的行在 stderr 上按行号报告并跳过，其余行照常处理；有错误行时退出码为 1。
Malformed lines are reported on stderr with their line number and skipped; the exit code is then 1.

options:
  -h, --help   show this help
`;

type Row = LocateInput & { id: string | number };

/** Check one parsed line; returns the row or a Chinese reason it is malformed. */
function readRow(value: unknown): Row | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return '不是 JSON 对象';
  const r = value as Record<string, unknown>;
  if (typeof r.id !== 'string' && typeof r.id !== 'number') return '缺少 id（字符串或数字）';
  if (typeof r.body !== 'string') return '缺少 body（字符串）';
  for (const key of ['title', 'address'] as const) {
    if (r[key] != null && typeof r[key] !== 'string') return `${key} 不是字符串`;
  }
  for (const key of ['lat', 'lng'] as const) {
    if (r[key] != null && typeof r[key] !== 'number') return `${key} 不是数字`;
  }
  return {
    id: r.id,
    body: r.body,
    title: r.title as string | null | undefined,
    address: r.address as string | null | undefined,
    lat: r.lat as number | null | undefined,
    lng: r.lng as number | null | undefined,
  };
}

// Respect back-pressure so a large file streams in constant memory.
async function write(out: Writable, line: string): Promise<void> {
  if (!out.write(line)) await once(out, 'drain');
}

export const command: CliCommand = {
  name: 'locate',
  summary: '定位诉求所在的区、街道、社区 / locate requests (JSONL in, JSONL out)',
  async run(argv, io) {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout.write(HELP);
      return 0;
    }
    if (argv.length) {
      io.stderr.write(`jiesu locate: 未知参数 unknown option ${argv.join(' ')}\n\n${HELP}`);
      return 2;
    }
    const bad = await eachJsonlRow(io, 'jiesu locate', readRow, async (row) => {
      const loc = locate(row);
      const out = {
        id: row.id,
        district: loc.district?.name ?? null,
        street: loc.street?.name ?? null,
        community: loc.community?.name ?? null,
        codes: loc.codes,
        confidence: loc.confidence,
        evidence: loc.evidence,
      };
      await write(io.stdout, `${JSON.stringify(out)}\n`);
    });
    return bad ? 1 : 0;
  },
};
