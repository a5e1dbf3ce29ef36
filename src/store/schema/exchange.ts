/**
 * Platform to platform (省市平台对接): the peers we exchange orders and indicators with, the links between our
 * orders and theirs, and the log of messages we received (one row per message id: a retried delivery is answered
 * from it and changes nothing). See docs/exchange-bulk.md.
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** 对接平台: an upper (province) or lower (city/county) platform. */
export const exchangePeers = pgTable('exchange_peers', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  /** The peer's division code (GB/T 2260), e.g. 440000 for 广东省. */
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  /** Where its exchange API lives, e.g. https://12345.gd.gov.cn (we POST to {baseUrl}/api/v1/exchange/v1/messages). */
  baseUrl: text('base_url').notNull(),
  /** upper: the peer is above us (we send up); lower: below us (we send down). */
  direction: text('direction').notNull(),
  /** The key the peer issued to us, presented on every message we send (kept to be sent, so not hashed). */
  outboundKey: text('outbound_key').notNull(),
  /**
   * The API key (api_keys, scope 'exchange') we issued to the peer: a message presenting it is from this peer, and
   * orders it sends are accepted as that key's service user. Revoking the key cuts the peer off.
   */
  theirKeyId: uuid('their_key_id').notNull().unique(),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** One of our orders tied to the peer's: sent (we passed it to them) or received (they passed it to us). */
export const exchangeOrderLinks = pgTable(
  'exchange_order_links',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    peerId: uuid('peer_id').notNull(),
    orderId: uuid('order_id').notNull(),
    /** sent | received */
    direction: text('direction').notNull(),
    /** The peer's order number; null until the peer has acknowledged a sent order. */
    remoteOrderNo: text('remote_order_no'),
    /** The latest status the peer reported (exchange vocabulary v1), its sequence and reply. */
    remoteStatus: text('remote_status'),
    remoteSeq: bigint('remote_seq', { mode: 'number' }).notNull().default(0),
    remoteReply: text('remote_reply'),
    remoteRepliedAt: timestamp('remote_replied_at', { withTimezone: true }),
    /** Received orders: the last history event reported back to the peer. */
    syncedEventId: bigint('synced_event_id', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('exchange_links_peer_order_idx').on(t.peerId, t.orderId),
    uniqueIndex('exchange_links_peer_remote_idx').on(t.peerId, t.direction, t.remoteOrderNo),
    index('exchange_links_order_idx').on(t.orderId),
  ],
);

/** Every message a peer delivered to us, once: the message id is the idempotency key, the result is replayed. */
export const exchangeInbound = pgTable(
  'exchange_inbound',
  {
    messageId: text('message_id').primaryKey(),
    peerId: uuid('peer_id').notNull(),
    kind: text('kind').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    result: jsonb('result').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index('exchange_inbound_peer_idx').on(t.peerId, t.receivedAt)],
);

/** Indicator summaries a lower platform reported (latest per peer and month). */
export const exchangeIndicators = pgTable(
  'exchange_indicators',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    peerId: uuid('peer_id').notNull(),
    month: text('month').notNull(),
    asOf: timestamp('as_of', { withTimezone: true }).notNull(),
    figures: jsonb('figures').$type<Record<string, unknown>>().notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    messageCount: integer('message_count').notNull().default(1),
  },
  (t) => [uniqueIndex('exchange_indicators_peer_month_idx').on(t.peerId, t.month)],
);
