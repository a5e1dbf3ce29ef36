import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

function multipart(name: string, data: Buffer, field = 'file'): { body: Buffer; headers: Record<string, string> } {
  const boundary = '----jiesu' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, data, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

for (const kind of backends) {
  describe(`attachments (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(kind, { JIESU_DATA_DIR: `.test-artifacts/data-${kind}-${process.pid}` });
    });
    after(async () => t.close());

    const upload = async (token: string, name: string, data: Buffer) => {
      const m = multipart(name, data);
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/attachments', payload: m.body, headers: { ...m.headers, authorization: `Bearer ${token}` } });
      return { status: res.statusCode, body: JSON.parse(res.body) };
    };

    it('stores a photo on a reply and lets only those who see the order read it', async () => {
      const agent = await t.login('agent');
      const wangjing = await t.login('wangjing');
      const created = await t.call('POST', '/api/v1/requests', { token: agent, body: { type: 'complaint', title: '油烟扰民', body: '望京西园三区烧烤店油烟', channel: 'hotline', districtCode: '110105', streetCode: '110105026', dispatch: { leadUnitCode: '110105026' } } });
      const id = created.body.order.id;
      const up = await upload(wangjing, '净化器.png', PNG);
      assert.equal(up.status, 201, JSON.stringify(up.body));
      assert.equal(up.body.type, 'image/png');
      for (const body of [{ action: 'sign' }, { action: 'respond', contactMethod: 'phone', note: '已联系' }]) {
        const cur = await t.call('GET', `/api/v1/orders/${id}`, { token: wangjing });
        await t.call('POST', `/api/v1/orders/${id}/transitions`, { token: wangjing, body: { ...body, version: cur.body.version } });
      }
      const cur = await t.call('GET', `/api/v1/orders/${id}`, { token: wangjing });
      const replied = await t.call('POST', `/api/v1/orders/${id}/transitions`, { token: wangjing, body: { action: 'reply', text: '商户已安装油烟净化器，见照片。', attachmentIds: [up.body.id], version: cur.body.version } });
      assert.equal(replied.status, 200, JSON.stringify(replied.body));
      assert.equal(replied.body.attachments[0].id, up.body.id);
      const dl = await t.app.inject({ method: 'GET', url: up.body.url, headers: { authorization: `Bearer ${agent}` } });
      assert.equal(dl.statusCode, 200);
      assert.equal(dl.headers['content-type'], 'image/png');
      assert.ok(dl.rawPayload.equals(PNG));
      const other = await t.app.inject({ method: 'GET', url: up.body.url, headers: { authorization: `Bearer ${await t.login('jiuxianqiao')}` } });
      assert.equal(other.statusCode, 404);
    });

    it('refuses a disguised file, an empty one and an oversized one whole', async () => {
      const wangjing = await t.login('wangjing');
      const exe = await upload(wangjing, 'photo.png', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]));
      assert.equal(exe.status, 415);
      assert.equal(exe.body.code, 'UNSUPPORTED_MEDIA_TYPE');
      const empty = await upload(wangjing, 'a.png', Buffer.alloc(0));
      assert.equal(empty.status, 400);
      const big = await upload(wangjing, 'big.png', Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]));
      assert.equal(big.status, 413);
      const reuse = await t.call('POST', '/api/v1/requests', { token: await t.login('agent'), body: { type: 'help', title: 't', body: 'b', attachmentIds: ['00000000-0000-4000-8000-000000000000'] } });
      assert.equal(reuse.status, 400);
      assert.equal(reuse.body.fields[0].field, 'attachmentIds');
    });
  });
}
