import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { sql } from 'drizzle-orm';
import { actorNamed, backends, openTestStore, type TestStore } from '../../../test/support/db.js';
import { command } from '../../cli/commands/seed.js';
import { queryRows, type Db } from '../../store/db.js';
import { getOrder } from '../orders/getOrder.js';
import { listOrders } from '../orders/listOrders.js';
import { statsOverview } from '../stats/overview.js';
import { defaultCategories } from '../../store/reference/index.js';
import { DISTRICT_POPULATION_2020, seedOrders, seedTopicCategories, type SeedOrdersResult } from './seedOrders.js';

/** Wednesday 25 November 2026, 12:00 in Beijing: the heating season has begun, the rainy summer is behind. */
const NOW = new Date('2026-11-25T04:00:00Z');
const N = 300;

const actorFor = actorNamed;

const count = async (db: Db, q: ReturnType<typeof sql>): Promise<number> => Number((await queryRows<{ n: number }>(db, q))[0]?.n ?? -1);

for (const kind of backends) {
  describe(`seed orders (${kind})`, () => {
    let store: TestStore;
    let result: SeedOrdersResult;
    before(async () => {
      store = await openTestStore(kind);
      result = await seedOrders({ db: store.db, now: NOW, orders: N, months: 3, seed: '2026', batchSize: 120 });
    });
    after(async () => store.close());

    it('writes every order with its request, its accept event and numbers from the sequences', async () => {
      assert.equal(result.orders, N);
      assert.equal(result.batches, 3);
      assert.equal(await count(store.db, sql`SELECT count(*)::int AS n FROM orders`), N);
      assert.equal(await count(store.db, sql`SELECT count(*)::int AS n FROM orders o JOIN requests r ON r.id = o.request_id WHERE r.order_id = o.id OR r.order_id = o.merged_into_id`), N, 'each order has its request (a merged one hands it on)');
      const firsts = await queryRows<{ type: string; to_state: string; n: number }>(
        store.db,
        sql`SELECT e.type, e.to_state, count(*)::int AS n FROM orders o JOIN LATERAL (SELECT type, to_state FROM order_events WHERE order_id = o.id ORDER BY id LIMIT 1) e ON true GROUP BY 1, 2`,
      );
      assert.deepEqual(firsts, [{ type: 'accept', to_state: 'accepted', n: N }], 'the history starts with the accept event');
      assert.equal(await count(store.db, sql`SELECT count(*)::int AS n FROM order_events WHERE type = 'accept'`), N);
      assert.equal(await count(store.db, sql`SELECT count(DISTINCT no)::int AS n FROM orders WHERE no ~ '^GD[0-9]{15}$'`), N);
      assert.equal(await count(store.db, sql`SELECT count(*)::int AS n FROM orders o JOIN requests r ON r.id = o.request_id WHERE r.no ~ '^SQ[0-9]{15}$' AND substr(r.no, 3, 8) = substr(o.no, 3, 8) AND substr(o.no, 3, 8) = to_char(o.accepted_at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD')`), N, 'numbers carry the Beijing date of acceptance');
    });

    it('keeps history, version and state in step, as the lifecycle writes them', async () => {
      const rows = await queryRows<{ id: string; state: string; version: number; last_to: string; steps: number }>(
        store.db,
        sql`SELECT o.id, o.state, o.version,
              (SELECT to_state FROM order_events e WHERE e.order_id = o.id AND e.to_state IS NOT NULL ORDER BY e.id DESC LIMIT 1) AS last_to,
              (SELECT count(*)::int FROM order_events e WHERE e.order_id = o.id AND e.type NOT IN ('accept', 'recategorize', 'overdue', 'escalate', 'deadline_warning')) AS steps
            FROM orders o`,
      );
      for (const r of rows) {
        assert.equal(r.last_to, r.state, `order ${r.id}: the last event ends in the order's state`);
        assert.equal(r.version, 1 + r.steps, `order ${r.id}: one version per step`);
      }
      const outOfOrder = await count(store.db, sql`SELECT count(*)::int AS n FROM order_events a JOIN order_events b ON a.order_id = b.order_id AND b.id > a.id AND b.at < a.at`);
      assert.equal(outOfOrder, 0, 'events are written in the order they happened');
      const states = new Set(Object.keys(result.byState));
      for (const s of ['closed', 'merged']) assert.ok(states.has(s), `some orders end ${s}`);
      assert.ok([...states].some((s) => ['dispatched', 'signed', 'responded', 'in_progress', 'replied', 'followed_up', 'pending_review'].includes(s)), 'recent orders are still open');
      const types = await queryRows<{ type: string }>(store.db, sql`SELECT DISTINCT type FROM order_events`);
      for (const t of ['dispatch', 'sign', 'respond', 'reply', 'follow_up', 'close', 'close_direct', 'return', 'overdue', 'deadline_warning']) assert.ok(types.some((x) => x.type === t), `some history has ${t}`);
    });

    it('names only units of the reference tree, with places that nest', async () => {
      assert.equal(await count(store.db, sql`SELECT count(*)::int AS n FROM order_units ou LEFT JOIN units u ON u.id = ou.unit_id AND u.path = ou.unit_path WHERE u.id IS NULL`), 0);
      assert.equal(await count(store.db, sql`SELECT count(*)::int AS n FROM orders o LEFT JOIN units u ON u.id = o.lead_unit_id AND u.path = o.lead_unit_path WHERE o.lead_unit_id IS NOT NULL AND u.id IS NULL`), 0);
      assert.equal(
        await count(store.db, sql`SELECT count(*)::int AS n FROM orders o JOIN units c ON c.id = o.community_id AND c.level = 'community' JOIN units s ON s.id = o.street_id AND s.level = 'street' AND c.parent_id = s.id AND s.kind <> '开发区' JOIN units d ON d.id = o.district_id AND s.parent_id = d.id`),
        N,
        'community in street in district, among the 343',
      );
      assert.equal(await count(store.db, sql`SELECT count(*)::int AS n FROM orders o WHERE o.lead_unit_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM order_units ou WHERE ou.order_id = o.id AND ou.unit_id = o.lead_unit_id AND ou.role = 'lead' AND ou.active)`), 0, 'the lead is an active lead unit row');
      assert.equal(await count(store.db, sql`SELECT count(*)::int AS n FROM orders o WHERE o.category_id IS NULL OR NOT EXISTS (SELECT 1 FROM categories c WHERE c.id = o.category_id)`), 0);
    });

    it('gives closed orders their reply and follow-up, and direct answers their answer', async () => {
      assert.equal(
        await count(store.db, sql`SELECT count(*)::int AS n FROM orders WHERE state = 'closed' AND lead_unit_id IS NOT NULL AND (reply_text IS NULL OR resolution IS NULL OR satisfaction IS NULL OR followed_up_at IS NULL OR closed_at IS NULL OR last_resolution IS DISTINCT FROM resolution)`),
        0,
      );
      const direct = await count(store.db, sql`SELECT count(*)::int AS n FROM orders o JOIN requests r ON r.id = o.request_id WHERE o.state = 'closed' AND o.lead_unit_id IS NULL AND o.type = 'consultation' AND r.answer IS NOT NULL`);
      assert.equal(direct, await count(store.db, sql`SELECT count(*)::int AS n FROM orders WHERE state = 'closed' AND lead_unit_id IS NULL`), 'every closure without a unit is an answered consultation');
      assert.ok(direct > 0);
      // A reopened order keeps its earlier follow-up for the three rates (the columns of migration 0005).
      assert.equal(await count(store.db, sql`SELECT count(*)::int AS n FROM orders o WHERE o.last_followed_up_at IS DISTINCT FROM (SELECT max(at) FROM order_events e WHERE e.order_id = o.id AND e.type = 'follow_up')`), 0);
      assert.equal(await count(store.db, sql`SELECT count(*)::int AS n FROM orders WHERE state IN ('merged', 'invalid') AND NOT assessment_excluded`), 0);
    });

    it('keeps clocks in step with the state and the overdue flag', async () => {
      const withUnit = await count(store.db, sql`SELECT count(*)::int AS n FROM orders WHERE state IN ('dispatched', 'signed', 'responded', 'in_progress')`);
      assert.equal(
        await count(store.db, sql`SELECT count(*)::int AS n FROM orders o JOIN order_clocks c ON c.order_id = o.id AND c.kind = 'reply' AND c.stopped_at IS NULL AND c.due_at = o.reply_due_at WHERE o.state IN ('dispatched', 'signed', 'responded', 'in_progress')`),
        withUnit,
        'an order with its unit has a running reply clock, denormalised onto the row',
      );
      assert.equal(await count(store.db, sql`SELECT count(*)::int AS n FROM order_clocks c JOIN orders o ON o.id = c.order_id WHERE o.state IN ('closed', 'replied', 'followed_up') AND c.stopped_at IS NULL`), 0, 'replied orders have stopped every clock');
      assert.equal(await count(store.db, sql`SELECT count(*)::int AS n FROM order_clocks c JOIN orders o ON o.id = c.order_id WHERE o.state IN ('merged', 'invalid', 'terminated')`), 0, 'withdrawn orders have no clocks');
      assert.equal(await count(store.db, sql`SELECT count(*)::int AS n FROM orders o WHERE o.overdue AND NOT EXISTS (SELECT 1 FROM order_clocks c WHERE c.order_id = o.id AND c.stopped_at IS NULL AND c.paused_at IS NULL AND c.due_at < ${NOW})`), 0, 'overdue means a running clock past due');
      assert.equal(await count(store.db, sql`SELECT count(*)::int AS n FROM orders o WHERE NOT o.overdue AND EXISTS (SELECT 1 FROM order_clocks c WHERE c.order_id = o.id AND c.stopped_at IS NULL AND c.overdue_at IS NOT NULL)`), 0, 'a clock the sweep marked overdue flags its order');
      assert.equal(await count(store.db, sql`SELECT count(*)::int AS n FROM order_clocks WHERE next_check_at IS NOT NULL AND next_check_at < ${new Date(NOW.getTime() - 60_000)}`), 0, 'the sweep has nothing left over from the past');
      const overdueEvents = await count(store.db, sql`SELECT count(*)::int AS n FROM order_events WHERE type = 'overdue'`);
      assert.equal(overdueEvents, await count(store.db, sql`SELECT count(*)::int AS n FROM order_events WHERE type = 'escalate' AND data->>'auto' = 'true'`), 'each lateness is escalated');
      // response_met as the clocks trigger of migration 0005 decides it.
      assert.equal(
        await count(
          store.db,
          sql`SELECT count(*)::int AS n FROM orders o LEFT JOIN (
                SELECT c.order_id, CASE WHEN bool_or((c.stopped_at IS NOT NULL AND coalesce(c.paused_at, c.stopped_at) > c.due_at) OR (c.stopped_at IS NULL AND c.overdue_at IS NOT NULL)) THEN false WHEN bool_and(c.stopped_at IS NOT NULL) THEN true END AS met
                FROM order_clocks c WHERE c.kind IN ('sign', 'response') GROUP BY c.order_id) r ON r.order_id = o.id
              WHERE o.response_met IS DISTINCT FROM r.met`,
        ),
        0,
      );
    });

    it('spreads orders over the months, the districts by population, and the hours of the day', async () => {
      const months = await queryRows<{ m: string; n: number; heat: number }>(
        store.db,
        sql`SELECT to_char(accepted_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS m, count(*)::int AS n, count(*) FILTER (WHERE category_id = 'GY.04.01')::int AS heat FROM orders GROUP BY 1 ORDER BY 1`,
      );
      assert.deepEqual(months.map((m) => m.m), ['2026-08', '2026-09', '2026-10', '2026-11']);
      for (const m of months.slice(1, 3)) assert.ok(m.n > N * 0.2, `${m.m} has its share (${m.n})`);
      const heat = Object.fromEntries(months.map((m) => [m.m, m.heat]));
      assert.ok((heat['2026-11'] ?? 0) > (heat['2026-09'] ?? 0) + 3, `heating complaints come in November (${JSON.stringify(heat)})`);
      const byDistrict = new Map((await queryRows<{ d: string; n: number }>(store.db, sql`SELECT district_id AS d, count(*)::int AS n FROM orders GROUP BY 1`)).map((r) => [r.d, r.n]));
      for (const d of byDistrict.keys()) assert.ok(DISTRICT_POPULATION_2020[d] !== undefined, `${d} is one of the 16 districts`);
      const chaoyang = byDistrict.get('110105') ?? 0;
      const haidian = byDistrict.get('110108') ?? 0;
      assert.ok(chaoyang > 3 * (byDistrict.get('110119') ?? 0), '朝阳 (3.45 million) far above 延庆 (0.35 million)');
      assert.ok((chaoyang + haidian) / N > 0.2 && (chaoyang + haidian) / N < 0.45, `朝阳 + 海淀 hold about 30% of the people (${chaoyang + haidian})`);
      assert.ok(byDistrict.size >= 14, 'nearly every district has orders');
      assert.ok((await count(store.db, sql`SELECT count(DISTINCT street_id)::int AS n FROM orders`)) >= 120, 'orders reach many streets');
      const office = await count(store.db, sql`SELECT count(*)::int AS n FROM orders WHERE extract(hour FROM accepted_at AT TIME ZONE 'Asia/Shanghai') BETWEEN 8 AND 17`);
      assert.ok(office / N > 0.55, `most calls come in working hours (${office})`);
      const types = new Map((await queryRows<{ type: string; n: number }>(store.db, sql`SELECT type, count(*)::int AS n FROM orders GROUP BY 1`)).map((r) => [r.type, r.n]));
      assert.ok((types.get('complaint') ?? 0) > (types.get('suggestion') ?? 0) * 3 && (types.get('consultation') ?? 0) > (types.get('report') ?? 0) * 3, JSON.stringify([...types]));
      assert.ok(types.size >= 5, 'the six request types nearly all occur');
      assert.ok((await count(store.db, sql`SELECT count(*)::int AS n FROM orders WHERE channel = 'hotline'`)) / N > 0.7, 'the phone dominates');
      assert.ok((await count(store.db, sql`SELECT count(*)::int AS n FROM orders WHERE title LIKE '%' || (SELECT short_name FROM units WHERE id = street_id) || '%' OR body LIKE '%' || (SELECT short_name FROM units WHERE id = community_id) || '%'`)) > N / 3, 'texts name real places');
    });

    it('reads back through the existing use-cases: lists, one order, the overview', async () => {
      const leader = await actorFor(store.db, 'leader');
      const page1 = await listOrders({ db: store.db, actor: leader, filter: {}, limit: 50, now: NOW });
      assert.equal(page1.items.length, 50);
      assert.ok(page1.nextCursor);
      const page2 = await listOrders({ db: store.db, actor: leader, filter: {}, limit: 50, cursor: page1.nextCursor, now: NOW });
      assert.equal(page2.items.length, 50);
      assert.ok(page1.items.every((a) => !page2.items.some((b) => b.id === a.id)));
      const open = await listOrders({ db: store.db, actor: leader, filter: { state: ['dispatched', 'signed', 'responded', 'in_progress'] }, limit: 100, now: NOW });
      for (const o of open.items) assert.ok(o.dueAt && o.leadUnit, `${o.no} shows its deadline and unit`);

      const [closed] = await queryRows<{ id: string }>(store.db, sql`SELECT id FROM orders WHERE state = 'closed' AND lead_unit_id IS NOT NULL ORDER BY accepted_at LIMIT 1`);
      assert.ok(closed);
      const detail = await getOrder({ db: store.db, actor: leader, orderId: closed.id, now: NOW });
      assert.equal(detail.state, 'closed');
      assert.ok(detail.followUp?.resolution && detail.reply?.text);
      assert.equal(detail.history[0]?.type, 'accept');
      assert.equal(detail.history.at(-1)?.type, 'close');
      assert.ok(detail.clocks.length >= 2 && detail.clocks.every((c) => c.status === 'met' || c.status === 'met_late'));
      assert.ok(detail.leadUnit?.name && detail.street?.name && detail.contact.phone?.includes('*'));

      const [merged] = await queryRows<{ into: string }>(store.db, sql`SELECT merged_into_id AS into FROM orders WHERE state = 'merged' LIMIT 1`);
      assert.ok(merged);
      const survivor = await getOrder({ db: store.db, actor: leader, orderId: merged.into, now: NOW });
      assert.ok(survivor.requesterCount >= 2, 'the surviving order has both requesters');
      assert.ok(survivor.history.some((h) => h.type === 'merged_in'));

      const from = new Date('2026-08-25T00:00:00+08:00');
      const overview = await statsOverview({ db: store.db, actor: leader, from, to: NOW });
      assert.equal(overview.totals.accepted, N);
      assert.equal(overview.byDistrict.reduce((s, d) => s + d.accepted, 0), N);
      assert.ok(overview.byDistrict.length >= 14);
      for (const rate of [overview.totals.responseRate, overview.totals.resolutionRate, overview.totals.satisfactionRate]) assert.ok(rate !== null && rate > 0.6 && rate < 1, `a plausible rate: ${rate}`);
      assert.ok(overview.trend.length > 80, 'a point for most days');
      assert.ok(overview.topCategories.length === 10);

      // A street's handler sees only what their street holds.
      const wangjing = await actorFor(store.db, 'wangjing');
      const theirs = await listOrders({ db: store.db, actor: wangjing, filter: {}, limit: 100, now: NOW });
      const path = wangjing.scopePath ?? '';
      for (const o of theirs.items) {
        const rows = await queryRows<{ n: number }>(store.db, sql`SELECT count(*)::int AS n FROM order_units WHERE order_id = ${o.id} AND unit_path LIKE ${`${path}%`}`);
        assert.ok((rows[0]?.n ?? 0) > 0, `${o.no} is 望京's`);
      }
    });
  });
}

describe('seed orders: determinism', () => {
  let store: TestStore;
  before(async () => {
    store = await openTestStore('pglite');
  });
  after(async () => store.close());

  const digest = async (fromSeq: number) =>
    queryRows<{ d: string }>(
      store.db,
      sql`SELECT o.type || o.title || o.body || o.state || o.accepted_at::text || coalesce(o.lead_unit_id, '-') || coalesce(o.resolution, '-') || o.version::text || (SELECT string_agg(e.type, ',' ORDER BY e.id) FROM order_events e WHERE e.order_id = o.id) AS d
          FROM orders o WHERE substr(o.no, 11)::int > ${fromSeq} ORDER BY substr(o.no, 11)::int`,
    );
  const maxSeq = async () => count(store.db, sql`SELECT coalesce(max(substr(no, 11)::int), 0)::int AS n FROM orders`);

  it('gives the same orders for the same seed, new numbers, and other orders for another seed', async () => {
    await seedOrders({ db: store.db, now: NOW, orders: 120, months: 2, seed: '7', batchSize: 50 });
    const first = await digest(0);
    const after1 = await maxSeq();
    await seedOrders({ db: store.db, now: NOW, orders: 120, months: 2, seed: '7', batchSize: 50 });
    const second = await digest(after1);
    assert.equal(second.length, 120);
    assert.deepEqual(second, first);
    const after2 = await maxSeq();
    await seedOrders({ db: store.db, now: NOW, orders: 120, months: 2, seed: '8', batchSize: 50 });
    const third = await digest(after2);
    assert.notDeepEqual(third, first);
    assert.equal(await count(store.db, sql`SELECT count(DISTINCT no)::int AS n FROM orders`), 360, 'numbers never repeat');
  });
});

describe('seed orders: topics and facts', () => {
  it('speaks only of categories the default catalogue has (a renamed code would silently drop a topic)', () => {
    const codes = new Set(defaultCategories.map((c) => c.code));
    for (const code of seedTopicCategories) assert.ok(codes.has(code), code);
    assert.equal(new Set(seedTopicCategories).size, seedTopicCategories.length, 'one topic per category');
  });

  it('holds the 2020 census population of the 16 districts', () => {
    assert.equal(Object.keys(DISTRICT_POPULATION_2020).length, 16);
    assert.equal(Object.values(DISTRICT_POPULATION_2020).reduce((s, n) => s + n, 0), 21_893_095);
  });
});

describe('jiesu seed: options', () => {
  async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await command.run(argv, { stdin: new PassThrough(), stdout, stderr });
    return { code, out, err };
  }

  it('refuses numbers that are not whole, positive numbers, in Chinese and English, with exit 2', async () => {
    for (const argv of [['--orders', 'abc'], ['--orders=-5'], ['--months', '0'], ['--months', '1.5'], ['--seed=-1'], ['--orders', '10', '--months', '99']]) {
      const r = await run(argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, /须/, argv.join(' '));
      assert.match(r.err, /must/, argv.join(' '));
    }
    const unknown = await run(['--order', '5']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /参数错误/);
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /--orders N/);
  });

  it('refuses to write demo data in production unless forced, before opening anything', async () => {
    const dir = `/tmp/jiesu-seed-refused-${process.pid}`;
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      const r = await run(['--orders', '5', '--data-dir', dir]);
      assert.equal(r.code, 2);
      assert.match(r.err, /生产环境/);
      assert.match(r.err, /--force/);
      assert.equal(existsSync(dir), false, 'no data folder was created');
    } finally {
      if (before === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = before;
    }
  });
});
