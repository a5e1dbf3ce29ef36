/** Exchange v1 rules: message parsing (strict, with field paths) and how our states read to a peer. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { orderStates } from '../order/index.js';
import { canCloseFromRemote, exchangeStatusOf, exchangeStatuses, parseExchangeMessage, statusNews } from './index.js';

const create = { version: '1', messageId: 'msg-0000001', sentAt: '2026-10-01T02:00:00Z', from: { code: '110000', name: '北京市' }, kind: 'order.create', body: { orderNo: 'GD1', type: 'complaint', title: '噪音', body: '夜间施工噪音', urgency: 'general', acceptedAt: '2026-10-01T01:00:00Z', streetCode: '110105026' } };

describe('exchange messages v1', () => {
  it('accepts a well-formed order.create', () => {
    const r = parseExchangeMessage(create);
    assert.equal(r.ok, true);
  });
  it('names every problem with its path: unknown keys, lengths, codes, kinds, versions', () => {
    const bad = (v: unknown) => {
      const r = parseExchangeMessage(v);
      assert.equal(r.ok, false);
      return r.ok ? [] : r.problems;
    };
    assert.deepEqual(bad({ ...create, extra: 1 })[0], { field: 'message', reason: '未知字段：extra' });
    assert.equal(bad({ ...create, body: { ...create.body, title: 'x'.repeat(201) } })[0]?.field, 'body.title');
    assert.equal(bad({ ...create, body: { ...create.body, streetCode: '12' } })[0]?.field, 'body.streetCode');
    assert.equal(bad({ ...create, kind: 'order.delete' })[0]?.field, 'kind');
    assert.equal(bad({ ...create, version: '2' })[0]?.field, 'version');
    assert.equal(bad({ ...create, messageId: 'x' })[0]?.field, 'messageId');
    assert.equal(bad({ ...create, kind: 'order.status', body: { orderNo: 'A', peerOrderNo: 'B', seq: 0, status: 'replied', at: create.sentAt } })[0]?.field, 'body.seq');
    assert.equal(bad(null)[0]?.field, 'message');
  });
});

describe('exchange statuses', () => {
  it('maps every state to a v1 status', () => {
    for (const s of orderStates) assert.ok(exchangeStatuses.includes(exchangeStatusOf(s)), s);
  });
  it('reports only changes of exchange status, never the intake itself', () => {
    assert.equal(statusNews(null, 'accepted'), null);
    assert.equal(statusNews('accepted', 'pending_review'), null);
    assert.equal(statusNews('pending_review', 'dispatched'), 'dispatched');
    assert.equal(statusNews('signed', 'responded'), null);
    assert.equal(statusNews('in_progress', 'replied'), 'replied');
    assert.equal(statusNews('dispatched', 'returned'), 'accepted');
    assert.equal(statusNews('followed_up', 'closed'), 'closed');
  });
  it('closes from the remote only after a remote reply, and only an open order', () => {
    assert.deepEqual(canCloseFromRemote('dispatched', 'replied', true), { ok: true });
    assert.equal(canCloseFromRemote('dispatched', 'handling', false).ok, false);
    assert.equal(canCloseFromRemote('dispatched', 'replied', false).ok, false);
    assert.equal(canCloseFromRemote('closed', 'closed', true).ok, false);
  });
});
