import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../../../test/support/db.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { seedKnowledge } from '../../app/knowledge/seedKnowledge.js';
import { defaultCategories } from '../../store/reference/index.js';
import { knowledge, knowledgeVersions } from '../../store/schema/index.js';
import { knowledgeSeeds } from '../../store/seed/knowledge.js';

type Hit = { id: string; title: string; score: number; category: { code: string; name: string } | null; version: number };

// Entries that share words on purpose: 居住证 also appears in the answers on 积分落户 and 入学.
const picked = ['北京市居住证怎么办理？', '积分落户的申请条件和流程', '社保（社会保险关系）跨省转移怎么办理？', '小学、初中入学（义务教育入学）怎么办理？', '医保报销怎么结算？异地就医怎么备案？'];
const seeds = picked.map((title) => {
  const s = knowledgeSeeds.find((k) => k.title === title);
  if (!s) throw new Error(`seed ${title} missing`);
  return s;
});

for (const kind of backends) {
  describe(`knowledge base and deadline policies API (${kind})`, () => {
    let t: TestApp;
    let admin: string;
    let agent: string;
    const ids = new Map<string, string>();
    before(async () => {
      t = await startTestApp(kind);
      // Known contents whether or not the template was seeded with the default answers.
      await t.store.db.delete(knowledgeVersions);
      await t.store.db.delete(knowledge);
      admin = await t.login('admin');
      agent = await t.login('agent');
      for (const s of seeds) {
        const r = await t.call('POST', '/api/v1/knowledge', { token: admin, body: { title: s.title, answer: s.answer, categoryCode: s.categoryCode, keywords: s.keywords } });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        ids.set(s.title, r.body.id);
      }
    });
    after(async () => t.close());

    const search = async (q: string, token = agent): Promise<Hit[]> => {
      const r = await t.call('GET', `/api/v1/knowledge?q=${encodeURIComponent(q)}&limit=5`, { token });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.items as Hit[];
    };

    it('answers "居住证怎么办理" with the 居住证 entry first, though other answers mention 居住证 too', async () => {
      const hits = await search('居住证怎么办理？');
      assert.equal(hits[0]?.title, '北京市居住证怎么办理？');
      assert.deepEqual(hits[0]?.category, { code: 'ZW.01', name: '居住证办理' });
      assert.ok(hits.some((h) => h.title === '积分落户的申请条件和流程'), 'entries that only mention 居住证 still come, lower');
      for (let i = 1; i < hits.length; i++) assert.ok((hits[i - 1]?.score ?? 0) >= (hits[i]?.score ?? 0), 'best first');
      assert.ok((hits[0]?.score ?? 0) > 2 * (hits[1]?.score ?? 0), 'a clear winner');
    });

    it('finds the social-insurance entry for the abbreviation 社保, and short or odd queries do not fail', async () => {
      assert.equal((await search('社保'))[0]?.title, '社保（社会保险关系）跨省转移怎么办理？');
      assert.equal((await search('孩子上学要什么材料'))[0]?.title, '小学、初中入学（义务教育入学）怎么办理？');
      assert.equal((await search('医保'))[0]?.title, '医保报销怎么结算？异地就医怎么备案？');
      assert.equal((await search('住证'))[0]?.title, '北京市居住证怎么办理？', 'part of a word: found in titles by substring');
      assert.deepEqual(await search('怎么办？'), [], 'only question words: nothing to search by');
      assert.deepEqual(await search("c++ ' & | ! :* \\"), []);
      const browse = await t.call('GET', '/api/v1/knowledge', { token: agent });
      assert.equal(browse.body.items.length, seeds.length, 'no q lists the entries');
    });

    it('is for signed-in staff: citizens and anonymous callers are refused', async () => {
      assert.equal((await t.call('GET', '/api/v1/knowledge?q=社保')).status, 401);
      const citizen = await t.login('citizen');
      assert.equal((await t.call('GET', '/api/v1/knowledge?q=社保', { token: citizen })).status, 403);
      const handler = await t.login('wangjing');
      assert.equal((await t.call('GET', '/api/v1/knowledge?q=社保', { token: handler })).status, 200);
    });

    it('bumps the version on an update, keeps the old text in the history and writes an audit row', async () => {
      const id = ids.get('社保（社会保险关系）跨省转移怎么办理？');
      assert.ok(id);
      const before = await t.call('GET', `/api/v1/knowledge/${id}`, { token: agent });
      assert.equal(before.status, 200);
      assert.equal(before.body.version, 1);
      assert.equal(before.body.versions.length, 1);
      const oldAnswer = before.body.answer as string;
      const newAnswer = `${oldAnswer}（补充：灵活就业人员也可按此办理。）`;
      const up = await t.call('PATCH', `/api/v1/knowledge/${id}`, { token: admin, body: { version: 1, answer: newAnswer, keywords: [...before.body.keywords, '灵活就业社保'] } });
      assert.equal(up.status, 200, JSON.stringify(up.body));
      assert.equal(up.body.version, 2);
      assert.equal(up.body.answer, newAnswer);
      const after = await t.call('GET', `/api/v1/knowledge/${id}`, { token: agent });
      assert.deepEqual(after.body.versions.map((v: { version: number }) => v.version), [2, 1]);
      assert.equal(after.body.versions[1].answer, oldAnswer);
      assert.equal(after.body.versions[0].editedBy, '系统管理员');
      assert.equal((await search('灵活就业'))[0]?.id, id, 'the new words are searchable at once');
      const audit = await t.call('GET', `/api/v1/audit?action=knowledge.update&targetId=${id}`, { token: admin });
      assert.equal(audit.body.items.length, 1);
      assert.deepEqual(audit.body.items[0].detail.changed, ['answer', 'keywords']);
    });

    it('refuses a stale version with 409 and leaves the entry as it was', async () => {
      const id = ids.get('医保报销怎么结算？异地就医怎么备案？');
      assert.ok(id);
      assert.equal((await t.call('PATCH', `/api/v1/knowledge/${id}`, { token: admin, body: { version: 1, title: '医保怎么报销？' } })).status, 200);
      const stale = await t.call('PATCH', `/api/v1/knowledge/${id}`, { token: admin, body: { version: 1, title: '别人的修改' } });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.code, 'VERSION_CONFLICT');
      const now = await t.call('GET', `/api/v1/knowledge/${id}`, { token: admin });
      assert.equal(now.body.title, '医保怎么报销？');
      assert.equal(now.body.version, 2);
      const missing = await t.call('PATCH', '/api/v1/knowledge/00000000-0000-4000-8000-000000000000', { token: admin, body: { version: 1, title: '不存在的条目' } });
      assert.equal(missing.status, 404);
    });

    it('retires an entry with active:false: gone from search, still readable with its history', async () => {
      const id = ids.get('积分落户的申请条件和流程');
      assert.ok(id);
      assert.ok((await search('积分落户')).some((h) => h.id === id));
      const off = await t.call('PATCH', `/api/v1/knowledge/${id}`, { token: admin, body: { version: 1, active: false } });
      assert.equal(off.status, 200);
      assert.equal(off.body.active, false);
      assert.ok(!(await search('积分落户')).some((h) => h.id === id));
      const all = await t.call('GET', `/api/v1/knowledge?q=${encodeURIComponent('积分落户')}&all=true`, { token: admin });
      assert.ok(all.body.items.some((h: Hit) => h.id === id), 'administrators can still find it');
      assert.equal((await t.call('GET', '/api/v1/knowledge?all=true', { token: agent })).status, 403);
      const detail = await t.call('GET', `/api/v1/knowledge/${id}`, { token: agent });
      assert.equal(detail.body.versions[0].active, false);
      const audit = await t.call('GET', `/api/v1/audit?action=knowledge.deactivate&targetId=${id}`, { token: admin });
      assert.equal(audit.body.items.length, 1);
    });

    it('lets only administrators write: an agent’s edit is 403', async () => {
      const id = ids.get('北京市居住证怎么办理？');
      const edit = await t.call('PATCH', `/api/v1/knowledge/${id}`, { token: agent, body: { version: 1, title: '居住证' } });
      assert.equal(edit.status, 403);
      assert.equal(edit.body.code, 'FORBIDDEN');
      const add = await t.call('POST', '/api/v1/knowledge', { token: agent, body: { title: '新条目', answer: '这是一个足够长的答复内容。' } });
      assert.equal(add.status, 403);
      assert.equal((await t.call('GET', `/api/v1/knowledge/${id}`, { token: agent })).body.version, 1);
    });

    it('refuses bad input with 400 naming each field', async () => {
      const bad = await t.call('POST', '/api/v1/knowledge', { token: admin, body: { title: '', answer: '短', keywords: 'x', categoryCode: 'zw-1' } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 'VALIDATION_FAILED');
      assert.deepEqual(bad.body.fields.map((f: { field: string }) => f.field).sort(), ['answer', 'categoryCode', 'keywords', 'title']);
      const unknownCat = await t.call('POST', '/api/v1/knowledge', { token: admin, body: { title: '测试条目', answer: '这是一个足够长的答复内容。', categoryCode: 'ZZ.99' } });
      assert.equal(unknownCat.status, 400);
      assert.deepEqual(unknownCat.body.fields, [{ field: 'categoryCode', reason: '目录不存在或已停用' }]);
      const id = ids.get('北京市居住证怎么办理？');
      const noVersion = await t.call('PATCH', `/api/v1/knowledge/${id}`, { token: admin, body: { title: '居住证' } });
      assert.equal(noVersion.status, 400);
      assert.deepEqual(noVersion.body.fields.map((f: { field: string }) => f.field), ['version']);
      const nothing = await t.call('PATCH', `/api/v1/knowledge/${id}`, { token: admin, body: { version: 1 } });
      assert.equal(nothing.status, 400);
      assert.equal((await t.call('GET', '/api/v1/knowledge/not-a-uuid', { token: agent })).status, 400);
      assert.equal((await t.call('GET', '/api/v1/knowledge?limit=0', { token: agent })).status, 400);
    });

    it('loads the seed answers only into an empty table, and finds each by its own title', async () => {
      assert.equal(await seedKnowledge({ db: t.store.db, now: t.clock.now }), 0, 'the table has entries: left alone');
      await t.store.db.delete(knowledgeVersions);
      await t.store.db.delete(knowledge);
      assert.equal(await seedKnowledge({ db: t.store.db, now: t.clock.now }), knowledgeSeeds.length);
      assert.equal(await seedKnowledge({ db: t.store.db, now: t.clock.now }), 0);
      for (const s of knowledgeSeeds) {
        const hits = await search(s.title);
        assert.equal(hits[0]?.title, s.title, `searching "${s.title}" found ${JSON.stringify(hits.map((h) => h.title))}`);
        assert.equal(hits[0]?.category?.code ?? null, s.categoryCode);
      }
      const first = (await search('居住证怎么办理'))[0];
      assert.equal(first?.title, '北京市居住证怎么办理？', 'journey 12 on the full seed');
      const detail = await t.call('GET', `/api/v1/knowledge/${first?.id}`, { token: agent });
      assert.equal(detail.body.versions.length, 1);
    });

    it('shows the four deadline policies to staff', async () => {
      const r = await t.call('GET', '/api/v1/policies/deadlines', { token: agent });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.policies.map((p: { urgency: string }) => p.urgency).sort(), ['complex', 'emergency', 'general', 'utility']);
      assert.equal((await t.call('GET', '/api/v1/policies/deadlines')).status, 401);
    });

    it('changes a policy for administrators only, validates each field, and audits the change', async () => {
      const current = (await t.call('GET', '/api/v1/policies/deadlines', { token: admin })).body.policies as { code: string; clocks: { reply: { amount: number; unit: string } } }[];
      const withReply = (amount: number) => current.map((p) => (p.code === 'general' ? { ...p, clocks: { ...p.clocks, reply: { amount, unit: 'working_days' } } } : p));
      const generalAt = current.findIndex((p) => p.code === 'general');

      const bad = await t.call('PUT', '/api/v1/policies/deadlines', { token: admin, body: { policies: withReply(-3) } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 'VALIDATION_FAILED');
      assert.ok(bad.body.fields.some((f: { field: string }) => f.field === `policies.${generalAt}.clocks.reply.amount`), JSON.stringify(bad.body.fields));
      const missing = await t.call('PUT', '/api/v1/policies/deadlines', { token: admin, body: { policies: current.filter((p) => p.code !== 'complex') } });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.fields[0].field, 'policies');
      assert.equal((await t.call('PUT', '/api/v1/policies/deadlines', { token: agent, body: { policies: withReply(5) } })).status, 403);

      const good = await t.call('PUT', '/api/v1/policies/deadlines', { token: admin, body: { policies: withReply(5) } });
      assert.equal(good.status, 200, JSON.stringify(good.body));
      const after = await t.call('GET', '/api/v1/policies/deadlines', { token: agent });
      const general = after.body.policies.find((p: { code: string }) => p.code === 'general');
      assert.deepEqual(general.clocks.reply, { amount: 5, unit: 'working_days' });
      const audit = await t.call('GET', '/api/v1/audit?action=policy.deadlines.update', { token: admin });
      assert.equal(audit.body.items.length, 1, 'one audit row: the refused attempts wrote none');
      assert.equal(audit.body.items[0].actorName, 'admin');
      assert.equal((await t.call('GET', '/api/v1/audit/verify', { token: admin })).body.ok, true);
    });
  });
}

describe('knowledge seeds', () => {
  it('has 15–30 answers with unique titles, each under a catalogue category where one is named', () => {
    assert.ok(knowledgeSeeds.length >= 15 && knowledgeSeeds.length <= 30);
    assert.equal(new Set(knowledgeSeeds.map((s) => s.title)).size, knowledgeSeeds.length);
    const codes = new Set(defaultCategories.map((c) => c.code));
    for (const s of knowledgeSeeds) {
      if (s.categoryCode !== null) assert.ok(codes.has(s.categoryCode), `${s.title}: unknown category ${s.categoryCode}`);
      assert.ok(s.answer.length >= 100 && s.answer.length <= 5000, `${s.title}: answer length ${s.answer.length}`);
      assert.ok(s.keywords.length > 0 && s.keywords.every((k) => k.length <= 30), s.title);
    }
  });
});
