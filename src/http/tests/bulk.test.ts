/** 历史工单导入 and list export through the API: CSV, xlsx and JSONL uploads with a reject report, re-import safety, and CSV/xlsx export with jurisdiction and masking. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { importJobs, importedOrders, orders } from '../../store/schema/index.js';
import { IMPORT_STALE_MS, sweepInterruptedImports } from '../../app/bulk/importOrders.js';

const WANGJING = '110105026';
const JIUXIANQIAO = '110105011';

const header = 'number,received_at,type,category,title,text,districtCode,streetCode,address,leadUnitCode,state,reply,repliedAt,closedAt,resolution,satisfaction,contactName,contactPhone';
const csv = [
  header,
  `H2025-0001,2025-03-02 09:15,投诉,,小区门口路灯不亮,望京西园三区门口路灯坏了一周,110105,${WANGJING},望京西园三区,${WANGJING},已办结,已更换灯具,2025-03-04 10:00,2025-03-06 16:00,解决,满意,王晓明,13912345678`,
  `H2025-0002,2025-03-03 11:00,求助,,"楼道堆物, 影响通行","楼道里堆满杂物，""消防通道""被堵",110105,${WANGJING},,${WANGJING},replied,已清理楼道,2025-03-05 09:00,,,,,`,
  `H2025-0003,2025-13-01 09:00,投诉,,,没有标题的一行,110105,,,,closed,,,,,,,`,
  `H2025-0004,2025-03-04 09:00,投诉,,状态不对,状态写错的一行,110105,,,${WANGJING},处理中,,,,,,,`,
].join('\n');

for (const kind of backends) {
  describe(`bulk import and export (${kind})`, () => {
    let t: TestApp;
    let admin: string, dispatcher: string, wangjing: string, jiuxianqiao: string;

    before(async () => {
      t = await startTestApp(kind, { JIESU_TOKEN_TTL_HOURS: '720' });
      [admin, dispatcher, wangjing, jiuxianqiao] = (await Promise.all(['admin', 'dispatcher', 'wangjing', 'jiuxianqiao'].map((u) => t.login(u)))) as [string, string, string, string];
    });
    after(async () => t.close());

    const upload = (fileName: string, body: string | Buffer, type: string, token = admin) => t.call('POST', `/api/v1/bulk/imports?fileName=${encodeURIComponent(fileName)}`, { token, body, headers: { 'content-type': type } });
    const finished = async (id: string) => {
      for (let i = 0; i < 200; i++) {
        const r = await t.call('GET', `/api/v1/bulk/imports/${id}`, { token: admin });
        if (r.body.state !== 'running') return r.body;
        await new Promise((res) => setTimeout(res, 25));
      }
      throw new Error('import did not finish');
    };

    it('imports a CSV: good rows in with an import event, bad rows reported by line, field and reason', async () => {
      const r = await upload('history.csv', csv, 'text/csv');
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const job = await finished(r.body.id);
      assert.equal(job.state, 'done');
      assert.deepEqual([job.total, job.imported, job.skipped, job.rejected], [4, 2, 0, 2]);
      const byLine = (line: number) => job.rejects.filter((x: { line: number }) => x.line === line).map((x: { field: string; code: string }) => `${x.field}:${x.code}`);
      assert.ok(byLine(4).includes('receivedAt:INVALID_TIME'), JSON.stringify(job.rejects));
      assert.ok(byLine(4).includes('title:REQUIRED'));
      assert.ok(byLine(5).includes('state:INVALID_VALUE'));
      assert.match(job.rejects[0].reason, /[\u4e00-\u9fa5]/, 'reasons are in Chinese');

      const [o] = await t.store.db.select().from(orders).where(eq(orders.no, 'LSH2025-0001'));
      assert.ok(o);
      assert.equal(o.state, 'closed');
      assert.equal(o.leadUnitId, WANGJING);
      assert.equal(o.lastResolution, 'resolved', 'follow-up answers count in the rates (kept by the trigger)');
      assert.equal(o.acceptedAt.toISOString(), '2025-03-02T01:15:00.000Z', 'times are Beijing time');
      const detail = await t.call('GET', `/api/v1/orders/${o.id}`, { token: wangjing });
      assert.equal(detail.status, 200, 'the street sees its imported order');
      assert.ok(detail.body.history.some((e: { type: string; data: { sourceNo?: string } }) => e.type === 'import' && e.data.sourceNo === 'H2025-0001'));
      assert.equal(detail.body.contact.phone, '139****5678');
      const [q] = await t.store.db.select().from(orders).where(eq(orders.no, 'LSH2025-0002'));
      assert.equal(q?.title, '楼道堆物, 影响通行');
      assert.equal(q?.body, '楼道里堆满杂物，"消防通道"被堵');
    });

    it('re-importing the same file adds nothing twice', async () => {
      const r = await upload('history.csv', csv, 'text/csv');
      const job = await finished(r.body.id);
      assert.deepEqual([job.imported, job.skipped, job.rejected], [0, 2, 2]);
      assert.equal((await t.store.db.select().from(importedOrders)).length, 2);
    });

    it('an import cut off by a restart is marked interrupted by the sweep, once, and a re-upload skips what was written', async () => {
      const now = new Date();
      // A job whose server died after two batches: still 'running', no heartbeat for longer than the limit.
      const [dead] = await t.store.db
        .insert(importJobs)
        .values({ format: 'csv', fileName: 'history.csv', state: 'running', totalRows: 4, processedRows: 2, importedRows: 2, createdAt: new Date(now.getTime() - 3 * IMPORT_STALE_MS), heartbeatAt: new Date(now.getTime() - IMPORT_STALE_MS - 1000) })
        .returning({ id: importJobs.id });
      const [live] = await t.store.db.insert(importJobs).values({ format: 'csv', fileName: 'live.csv', state: 'running', createdAt: new Date(now.getTime() - 3 * IMPORT_STALE_MS), heartbeatAt: new Date(now.getTime() - 5000) }).returning({ id: importJobs.id });
      assert.ok(dead && live);
      // Two servers sweeping at once mark the job once.
      const marked = await Promise.all([sweepInterruptedImports({ db: t.store.db, now }), sweepInterruptedImports({ db: t.store.db, now })]);
      assert.equal(marked[0] + marked[1], 1);
      const r = await t.call('GET', `/api/v1/bulk/imports/${dead.id}`, { token: admin });
      assert.equal(r.status, 200);
      assert.equal(r.body.state, 'interrupted');
      assert.match(r.body.error, /中断/);
      assert.match(r.body.error, /重新上传同一文件/);
      assert.equal(r.body.imported, 2, 'the batches written are kept');
      assert.equal((await t.call('GET', `/api/v1/bulk/imports/${live.id}`, { token: admin })).body.state, 'running', 'a job with a recent heartbeat is left alone');
      const again = await finished((await upload('history.csv', csv, 'text/csv')).body.id);
      assert.equal(again.state, 'done');
      assert.deepEqual([again.imported, again.skipped], [0, 2], 'uploading the same file again skips the rows already in');
      await t.store.db.delete(importJobs).where(eq(importJobs.id, live.id));
    });

    it('JSONL: broken JSON, unknown keys, duplicates in the file and oversized fields are rejected by line', async () => {
      const ok = { number: 'J-1', received_at: '2025-04-01T08:00:00+08:00', type: 'help', title: '井盖缺失', text: '路口井盖丢了', state: 'closed', closedAt: '2025-04-02 10:00', districtCode: '110105', leadUnitCode: WANGJING };
      const lines = [JSON.stringify(ok), '{"number": "J-2", "title": ', JSON.stringify({ ...ok, number: 'J-3', colour: 'red' }), JSON.stringify(ok), JSON.stringify({ ...ok, number: 'J-5', title: '长'.repeat(201) }), '[1,2]'].join('\n');
      const r = await upload('more.jsonl', lines, 'application/x-ndjson');
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const job = await finished(r.body.id);
      assert.deepEqual([job.imported, job.rejected], [1, 5]);
      const codes = Object.fromEntries(job.rejects.map((x: { line: number; code: string }) => [x.line, x.code]));
      assert.deepEqual(codes, { 2: 'BAD_JSON', 3: 'UNKNOWN_FIELD', 4: 'DUPLICATE_IN_FILE', 5: 'TOO_LONG', 6: 'BAD_JSON' });
    });

    it('xlsx with Chinese headings', async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('工单');
      ws.addRow(['工单编号', '受理时间', '诉求类型', '标题', '诉求内容', '状态', '区编码', '主办单位编码', '办结时间']);
      ws.addRow(['X-1', '2025-05-01 10:00', '建议', '增设公交站', '建议在酒仙桥路增设公交站', '已办结', '110105', JIUXIANQIAO, '2025-05-10 10:00']);
      const buf = Buffer.from(await wb.xlsx.writeBuffer());
      const r = await upload('orders.xlsx', buf, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const job = await finished(r.body.id);
      assert.deepEqual([job.imported, job.rejected], [1, 0], JSON.stringify(job.rejects));
    });

    it('a file with unknown or missing columns, an unreadable xlsx, or a non-admin: refused, no job written', async () => {
      const jobs = async () => (await t.store.db.select().from(importJobs)).length;
      const n = await jobs();
      const badHead = await upload('x.csv', 'number,colour\nA,red', 'text/csv');
      assert.equal(badHead.status, 400);
      assert.equal(badHead.body.fields[0].field, 'header');
      assert.match(badHead.body.message, /colour/);
      const notXlsx = await upload('x.xlsx', Buffer.from('not a zip'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      assert.equal(notXlsx.status, 400);
      const noFormat = await upload('x.txt', 'a', 'text/csv');
      assert.equal(noFormat.status, 400);
      const notAdmin = await upload('history.csv', csv, 'text/csv', dispatcher);
      assert.equal(notAdmin.status, 403);
      assert.equal(await jobs(), n);
    });

    it('exports the list as CSV and xlsx: same filters, jurisdiction, contact masked', async () => {
      const all = await t.call('GET', '/api/v1/orders/export?format=csv&state=closed,replied', { token: dispatcher });
      assert.equal(all.status, 200);
      assert.match(String(all.headers['content-type']), /text\/csv/);
      const text = String(all.body);
      assert.ok(text.startsWith('\uFEFF工单编号,'));
      assert.match(text, /LSH2025-0001/);
      assert.match(text, /139\*\*\*\*5678/);
      assert.doesNotMatch(text, /13912345678/);
      assert.match(text, /"楼道堆物, 影响通行"/);
      const street = String((await t.call('GET', '/api/v1/orders/export?format=csv', { token: jiuxianqiao })).body);
      assert.match(street, /X-1/);
      assert.doesNotMatch(street, /LSH2025-0001/, 'a street sees only its own orders');
      const x = await t.app.inject({ method: 'GET', url: '/api/v1/orders/export?format=xlsx&state=closed', headers: { authorization: `Bearer ${dispatcher}` } });
      assert.equal(x.statusCode, 200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      assert.equal(ws?.getRow(1).getCell(1).value, '工单编号');
      const nos = [] as string[];
      ws?.eachRow((row, i) => {
        if (i > 1) nos.push(row.getCell(1).text);
      });
      assert.ok(nos.includes('LSH2025-0001') && nos.includes('LSX-1') && !nos.includes('LSH2025-0002'));
      const bad = await t.call('GET', '/api/v1/orders/export?format=pdf', { token: dispatcher });
      assert.equal(bad.status, 400);
      const badState = await t.call('GET', '/api/v1/orders/export?state=nope', { token: dispatcher });
      assert.equal(badState.status, 400);
    });
  });
}
