import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';

for (const kind of backends) {
  describe(`foundation API (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(kind, { JIESU_LOCKOUT_ATTEMPTS: '3', JIESU_LOCKOUT_MINUTES: '15' });
    });
    after(async () => t.close());

    it('answers /healthz and /readyz', async () => {
      assert.deepEqual((await t.call('GET', '/healthz')).body, { status: 'ok' });
      const r = await t.call('GET', '/readyz');
      assert.equal(r.status, 200);
      assert.equal(r.body.database, kind);
    });

    it('documents every route in OpenAPI at /docs/json', async () => {
      const r = await t.call('GET', '/docs/json');
      assert.equal(r.status, 200);
      assert.ok(r.body.paths['/api/v1/auth/login'].post);
      assert.ok(r.body.paths['/api/v1/units'].get);
      const page = await t.call('GET', '/docs/');
      assert.equal(page.status, 200);
    });

    it('lists Beijing’s 16 districts and 343 streets/townships with official codes', async () => {
      const d = await t.call('GET', '/api/v1/units?level=district&limit=100');
      assert.equal(d.status, 200);
      assert.equal(d.body.total, 16);
      assert.ok(d.body.items.some((u: { code: string; name: string }) => u.code === '110105' && u.name === '朝阳区'));
      const s = await t.call('GET', '/api/v1/units?level=street&limit=500');
      const real = s.body.items.filter((u: { kind: string }) => ['街道', '乡镇', '地区'].includes(u.kind));
      assert.equal(real.length, 343);
      const wj = s.body.items.find((u: { name: string }) => u.name === '望京街道');
      assert.equal(wj.code, '110105026');
      assert.equal(wj.parent, '110105');
      const c = await t.call('GET', '/api/v1/units?level=community&parent=110105026&limit=500');
      assert.ok(c.body.total > 10, 'communities of 望京街道');
      const dept = await t.call('GET', '/api/v1/units?level=department&under=110105&limit=100');
      assert.ok(dept.body.items.some((u: { name: string }) => u.name.includes('城市管理综合行政执法')));
      assert.equal((await t.call('GET', '/api/v1/units/110105026')).body.name, '望京街道');
      const geo = await t.call('GET', '/api/v1/geo/districts');
      assert.equal(geo.body.features.length, 16);
    });

    it('refuses bad input with 400 naming each field', async () => {
      const r = await t.call('GET', '/api/v1/units?level=planet&limit=0');
      assert.equal(r.status, 400);
      assert.equal(r.body.code, 'VALIDATION_FAILED');
      const fields = r.body.fields.map((f: { field: string }) => f.field).sort();
      assert.deepEqual(fields, ['querystring.level', 'querystring.limit']);
      const login = await t.call('POST', '/api/v1/auth/login', { body: { username: '' } });
      assert.equal(login.status, 400);
      assert.deepEqual(login.body.fields.map((f: { field: string }) => f.field).sort(), ['password', 'username']);
      const broken = await t.call('POST', '/api/v1/auth/login', { body: '{"username":', headers: { 'content-type': 'application/json' } });
      assert.equal(broken.status, 400);
      assert.equal(broken.body.code, 'VALIDATION_FAILED');
    });

    it('answers unknown routes and units with 404 in the one error shape', async () => {
      const r = await t.call('GET', '/api/v1/nothing-here');
      assert.equal(r.status, 404);
      assert.equal(r.body.code, 'NOT_FOUND');
      const u = await t.call('GET', '/api/v1/units/999999999');
      assert.equal(u.status, 404);
      assert.equal(u.body.code, 'NOT_FOUND');
      assert.match(u.body.message, /不存在/);
    });

    it('signs in, tells who I am, and logout revokes the token', async () => {
      const token = await t.login('wangjing');
      const me = await t.call('GET', '/api/v1/auth/me', { token });
      assert.equal(me.status, 200);
      assert.equal(me.body.role, 'handler');
      assert.equal(me.body.unitName, '望京街道');
      assert.equal(me.body.scopePath, '/110000/110105/110105026/');
      const agent = await t.call('GET', '/api/v1/auth/me', { token: await t.login('agent') });
      assert.equal(agent.body.scopePath, '/110000/', 'the hotline centre acts for the whole city');
      assert.equal((await t.call('POST', '/api/v1/auth/logout', { token })).status, 204);
      const after = await t.call('GET', '/api/v1/auth/me', { token });
      assert.equal(after.status, 401);
      assert.equal(after.body.code, 'UNAUTHENTICATED');
      assert.equal((await t.call('GET', '/api/v1/auth/me', { token: 'forged' })).status, 401);
    });

    it('expires tokens after their lifetime', async () => {
      const token = await t.login('leader');
      t.clock.advance(t.config.tokenTtlMs + 1000);
      assert.equal((await t.call('GET', '/api/v1/auth/me', { token })).status, 401);
    });

    it('locks an account after repeated failures, even for the right password, until the lock ends', async () => {
      for (let i = 0; i < 2; i++) {
        const r = await t.call('POST', '/api/v1/auth/login', { body: { username: 'water', password: 'wrong' } });
        assert.equal(r.status, 401);
        assert.equal(r.body.code, 'INVALID_CREDENTIALS');
      }
      const third = await t.call('POST', '/api/v1/auth/login', { body: { username: 'water', password: 'wrong' } });
      assert.equal(third.status, 423);
      assert.equal(third.body.code, 'ACCOUNT_LOCKED');
      await assert.rejects(t.login('water'), /423/);
      t.clock.advance(16 * 60_000);
      assert.ok(await t.login('water'));
      const unknown = await t.call('POST', '/api/v1/auth/login', { body: { username: 'nobody', password: 'x' } });
      assert.equal(unknown.status, 401);
      assert.equal(unknown.body.message, '用户名或密码错误', 'an unknown user reads the same as a wrong password');
    });

    it('lets only administrators edit the catalogue, with optimistic versions and an audit record', async () => {
      const cats = await t.call('GET', '/api/v1/categories');
      assert.equal(cats.status, 200);
      const tops = cats.body.filter((c: { parent: string | null }) => c.parent === null).map((c: { name: string }) => c.name);
      for (const label of ['城乡建设', '劳动和社会保障', '教育文体', '商贸旅游', '环境保护', '卫生计生', '交通运输']) assert.ok(tops.includes(label), label);
      const target = cats.body.find((c: { depth: number }) => c.depth === 1);
      const handler = await t.login('wangjing');
      const refused = await t.call('PATCH', `/api/v1/categories/${target.code}`, { token: handler, body: { version: target.version, urgency: 'complex' } });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.code, 'FORBIDDEN');
      const admin = await t.login('admin');
      const ok = await t.call('PATCH', `/api/v1/categories/${target.code}`, { token: admin, body: { version: target.version, keywords: ['测试关键词'] } });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.version, target.version + 1);
      assert.deepEqual(ok.body.keywords, ['测试关键词']);
      const stale = await t.call('PATCH', `/api/v1/categories/${target.code}`, { token: admin, body: { version: target.version, keywords: ['另一个'] } });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.code, 'VERSION_CONFLICT');
      const sectoralWithout = await t.call('POST', '/api/v1/categories', {
        token: admin,
        body: { code: 'ZZ', parent: null, name: '测试', handling: 'sectoral', department: null, coUnits: [], urgency: 'general', keywords: [] },
      });
      assert.equal(sectoralWithout.status, 400);
      assert.equal(sectoralWithout.body.fields[0].field, 'department');
      const audit = await t.call('GET', `/api/v1/audit?targetId=${target.code}`, { token: admin });
      assert.equal(audit.body.items[0].action, 'category.update');
      assert.equal((await t.call('GET', '/api/v1/audit', { token: handler })).status, 403);
    });

    it('lets administrators create, change, unlock and disable accounts; a disabled account cannot sign in', async () => {
      const admin = await t.login('admin');
      assert.equal((await t.call('GET', '/api/v1/meta')).body.demo, true);
      const list = await t.call('GET', '/api/v1/users?limit=100', { token: admin });
      assert.ok(list.body.items.some((u: { username: string; unitName: string }) => u.username === 'wangjing' && u.unitName === '望京街道'));
      assert.equal((await t.call('GET', '/api/v1/users', { token: await t.login('leader') })).status, 403);
      const created = await t.call('POST', '/api/v1/users', { token: admin, body: { username: 'scjg_cy', displayName: '市场监管承办', role: 'handler', unitId: '110105-SCJG', password: 'Scjg@20261125' } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const dup = await t.call('POST', '/api/v1/users', { token: admin, body: { username: 'scjg_cy', displayName: 'x', role: 'handler', unitId: '110105-SCJG', password: 'Scjg@20261125' } });
      assert.equal(dup.status, 409);
      const noUnit = await t.call('POST', '/api/v1/users', { token: admin, body: { username: 'nounit', displayName: 'x', role: 'handler', password: 'Scjg@20261125' } });
      assert.equal(noUnit.status, 400);
      assert.equal(noUnit.body.fields[0].field, 'unitId');
      const login = await t.call('POST', '/api/v1/auth/login', { body: { username: 'scjg_cy', password: 'Scjg@20261125' } });
      assert.equal(login.status, 200);
      const off = await t.call('PATCH', `/api/v1/users/${created.body.id}`, { token: admin, body: { active: false } });
      assert.equal(off.body.active, false);
      assert.equal((await t.call('GET', '/api/v1/auth/me', { token: login.body.token })).status, 401, 'its sessions end');
      assert.equal((await t.call('POST', '/api/v1/auth/login', { body: { username: 'scjg_cy', password: 'Scjg@20261125' } })).status, 401);
      const audit = await t.call('GET', `/api/v1/audit?targetId=${created.body.id}`, { token: admin });
      assert.deepEqual(audit.body.items.map((i: { action: string }) => i.action).sort(), ['user.create', 'user.update']);
    });

    it('keeps the audit trail append-only and its hash chain intact', async () => {
      const admin = await t.login('admin');
      const refused = (e: unknown) => /append-only/.test(String((e as { cause?: unknown }).cause ?? e));
      await assert.rejects(t.store.db.execute(sql`UPDATE audit_log SET action = 'tampered'`), refused);
      await assert.rejects(t.store.db.execute(sql`DELETE FROM audit_log`), refused);
      await assert.rejects(t.store.db.execute(sql`TRUNCATE audit_log`), refused);
      const v = await t.call('GET', '/api/v1/audit/verify', { token: admin });
      assert.equal(v.status, 200);
      assert.equal(v.body.ok, true);
      assert.ok(v.body.rows > 3);
      // Someone with superuser powers disables the trigger and edits a row: the chain shows it.
      await t.store.db.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`);
      await t.store.db.execute(sql`UPDATE audit_log SET detail = '{"x":1}'::jsonb WHERE id = (SELECT min(id) + 1 FROM audit_log)`);
      await t.store.db.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`);
      const broken = await t.call('GET', '/api/v1/audit/verify', { token: admin });
      assert.equal(broken.body.ok, false);
      assert.ok(broken.body.brokenAt > 0);
    });
  });
}
