import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { buildServer } from '../../http/server.js';
import { openStore, type Store } from '../../store/db.js';

/** Poll until `check` holds (a NOTIFY reaches the other server's listener a moment after commit). */
async function eventually(check: () => Promise<boolean>, ms = 3000): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const kind of backends) {
  describe(`sessions kept by a server end where they are ended (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(kind);
    });
    after(async () => t.close());

    it('a logged-out token is refused by the next request, though the server had kept it', async () => {
      const token = await t.login('wangjing');
      assert.equal((await t.call('GET', '/api/v1/auth/me', { token })).status, 200);
      assert.equal((await t.call('GET', '/api/v1/auth/me', { token })).status, 200, 'kept, still good');
      assert.equal((await t.call('POST', '/api/v1/auth/logout', { token })).status, 204);
      assert.equal((await t.call('GET', '/api/v1/auth/me', { token })).status, 401);
    });

    it('a changed role or unit is read anew at once, and a disabled account ends its sessions', async () => {
      const admin = await t.login('admin');
      const token = await t.login('jiuxianqiao');
      const me = await t.call('GET', '/api/v1/auth/me', { token });
      assert.equal(me.status, 200);
      const id = me.body.userId as string;
      const renamed = await t.call('PATCH', `/api/v1/users/${id}`, { token: admin, body: { displayName: '酒仙桥 承办（新）' } });
      assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
      assert.equal((await t.call('GET', '/api/v1/auth/me', { token })).body.displayName, '酒仙桥 承办（新）');
      assert.equal((await t.call('PATCH', `/api/v1/users/${id}`, { token: admin, body: { active: false } })).status, 200);
      assert.equal((await t.call('GET', '/api/v1/auth/me', { token })).status, 401);
    });

    it('a session past its expiry is refused even while kept', async () => {
      const token = await t.login('water');
      assert.equal((await t.call('GET', '/api/v1/auth/me', { token })).status, 200);
      t.clock.advance(t.config.tokenTtlMs + 3600_000);
      try {
        assert.equal((await t.call('GET', '/api/v1/auth/me', { token })).status, 401);
      } finally {
        t.clock.advance(-(t.config.tokenTtlMs + 3600_000));
      }
    });
  });
}

// Two servers on one PostgreSQL database: what one ends, the other stops honouring when the change commits.
if (backends.includes('postgres')) {
  describe('sessions across two servers (postgres)', () => {
    let a: TestApp;
    let storeB: Store;
    let b: FastifyInstance;
    before(async () => {
      a = await startTestApp('postgres');
      storeB = await openStore({ kind: 'postgres', url: a.store.url as string });
      b = await buildServer({ config: a.config, store: storeB, now: () => a.clock.now });
      await b.ready();
    });
    after(async () => {
      await b.close();
      await storeB.close();
      await a.close();
    });
    const onB = async (token: string) => (await b.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode;

    it('a logout on one server ends the session on the other', async () => {
      const token = await a.login('chengguan');
      assert.equal(await onB(token), 200);
      assert.equal(await onB(token), 200, 'server B keeps it');
      assert.equal((await a.call('POST', '/api/v1/auth/logout', { token })).status, 204);
      assert.ok(await eventually(async () => (await onB(token)) === 401), 'server B refuses the logged-out token');
    });

    it('an account disabled on one server is refused on the other', async () => {
      const admin = await a.login('admin');
      const token = await a.login('grid');
      assert.equal(await onB(token), 200);
      const me = await a.call('GET', '/api/v1/auth/me', { token });
      assert.equal((await a.call('PATCH', `/api/v1/users/${me.body.userId as string}`, { token: admin, body: { active: false } })).status, 200);
      assert.ok(await eventually(async () => (await onB(token)) === 401), 'server B refuses the disabled account');
    });
  });
}
