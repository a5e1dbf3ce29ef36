import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardedPost } from './webhookTarget.js';

void test('the socket’s own DNS lookup refuses a name that resolves to a private address (no DNS rebinding after the check)', async () => {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    req.resume();
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const init = { method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(5000) };
  try {
    // `localhost` resolves to loopback at connect time: refused before a byte is sent, with a code that is not retried.
    await assert.rejects(guardedPost({ allowPrivate: false })(`http://localhost:${port}/hook`, init), (e: { code?: string }) => e.code === 'PRIVATE_ADDRESS');
    assert.equal(hits, 0);
    // Allowed (tests, closed installations): the same call goes through.
    const ok = await guardedPost({ allowPrivate: true })(`http://localhost:${port}/hook`, { ...init, signal: AbortSignal.timeout(5000) });
    assert.deepEqual(ok, { status: 204, ok: true });
    assert.equal(hits, 1);
  } finally {
    server.close();
  }
});
