import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../config.js';
import { fromShanghai } from '../../domain/deadline/index.js';
import { replyWorkingDays, scoreReply, timelinessOf, WEAK_REPLY_SCORE } from './replyQuality.js';

const request = {
  title: '丽景花园物业乱收停车费',
  body: 'A3区丽景花园物业从今年3月起把停车费从每月300元涨到500元，没有公示收费依据，也没有开业主大会。请问物业涨停车费的依据是什么？能否责令物业退还多收的费用？',
  time: fromShanghai('2019-04-01', 10),
};

const thorough =
  '网友您好！收到您反映的丽景花园物业停车费问题后，区住建局会同街道于4月3日到小区实地调查核实。经查，物业公司自3月起将停车费调整为每月500元，' +
  '未按《西地省物业管理条例》第四十二条规定公示收费依据，也未经业主大会同意。根据上述规定，我局已责令物业公司停止执行新标准，恢复每月300元的收费，' +
  '并于4月20日前退还多收的停车费；街道已约谈物业负责人并下达整改通知书。目前已有86户业主领取退款。如有疑问，请致电区住建局物业科 0731-84511234。感谢您的监督。';

void test('scoreReply: a receipt-only reply is weak, with reasons that name what it left out', () => {
  for (const reply of ['网友：您好！留言已收悉', '您的留言已收悉！我们已将您反映的问题转相关部门进行处理，敬请关注。']) {
    const s = scoreReply({ ...request, reply, replyTime: fromShanghai('2019-04-03', 9) });
    assert.equal(s.weak, true, reply);
    assert.ok(s.score < 0.35, `${s.score} ${reply}`);
    assert.ok(s.dimensions.completeness <= 0.2 && s.dimensions.explanation <= 0.2, JSON.stringify(s.dimensions));
    assert.equal(s.evidence.boilerplate, true);
    assert.ok(s.reasons.includes('答复仅告知收悉或转办，未说明调查和处理情况'), s.reasons.join('；'));
    assert.ok(s.reasons.some((r) => r.includes('停车费')), s.reasons.join('；'));
    assert.ok(s.reasons.includes('未说明处理依据（法规、政策或规定）'));
  }
});

void test('scoreReply: a thorough reply scores high on every dimension and has nothing to complain about', () => {
  const s = scoreReply({ ...request, reply: thorough, replyTime: fromShanghai('2019-04-04', 16) });
  assert.equal(s.weak, false);
  assert.ok(s.score >= 0.85, JSON.stringify(s));
  assert.ok(s.dimensions.relevance >= 0.8 && s.dimensions.completeness >= 0.8 && s.dimensions.explanation >= 0.8, JSON.stringify(s.dimensions));
  assert.equal(s.dimensions.timeliness, 1);
  assert.deepEqual(s.reasons, []);
  assert.ok(s.evidence.basis.some((b) => b.startsWith('《西地省物业管理条例》')));
  assert.deepEqual(s.evidence.structure, ['称呼问候', '调查核实', '处理措施', '处理结果', '联系方式']);
});

void test('scoreReply: an answer on another subject is not relevant, and the unanswered demand is named', () => {
  const offTopic = '网友您好！经调查核实，小区电梯已于4月3日由维保公司完成维修，目前运行正常。根据《特种设备安全法》规定，物业将每月开展安全检查。如有疑问请致电 84511234。';
  const s = scoreReply({ ...request, reply: offTopic, replyTime: fromShanghai('2019-04-04', 16) });
  const good = scoreReply({ ...request, reply: thorough, replyTime: fromShanghai('2019-04-04', 16) });
  assert.ok(s.dimensions.relevance < 0.4, JSON.stringify(s.dimensions));
  assert.ok(s.score < good.score);
  assert.ok(s.reasons.some((r) => r.startsWith('答复未回应诉求中的“停车费”')), s.reasons.join('；'));
  assert.ok(s.reasons.some((r) => r.includes('丽景花园')), 'the place the title names');
});

void test('scoreReply: a consultation answered by policy is not a receipt, even when it says 已收悉', () => {
  const s = scoreReply({
    title: '咨询外省人落户A市的条件',
    body: '我是外省人，在A市工作三年，有劳动合同和社保，请问可以落户A市吗？需要什么条件？',
    reply: '网友您好！您的留言已收悉。根据《A市公安局关于进一步规范市外迁入人员落户条件的通知》规定，在我市连续缴纳社保满一年并签订劳动合同的，可以将本人户口迁入我市城镇地区，凭劳动合同和社保缴费证明到户籍所在地派出所办理落户。',
  });
  assert.equal(s.evidence.boilerplate, false);
  assert.equal(s.dimensions.timeliness, null, 'no times, no timeliness');
  assert.equal(s.weak, false, JSON.stringify(s));
});

void test('timeliness: working days on China’s calendar, National Day and 调休 included', () => {
  // 2019-09-30 (Mon) → 2019-10-12 (Sat, a make-up working day): 10-08 … 10-12 are 5 working days.
  assert.equal(replyWorkingDays(fromShanghai('2019-09-30', 9), fromShanghai('2019-10-12', 9)), 5);
  assert.equal(replyWorkingDays(fromShanghai('2019-04-01', 9), fromShanghai('2019-04-01', 17)), 0);
  assert.equal(timelinessOf(3), 1);
  assert.equal(timelinessOf(15), 0.5);
  assert.equal(timelinessOf(30), 0);
  const late = scoreReply({ ...request, reply: thorough, replyTime: fromShanghai('2019-06-10', 9) });
  assert.ok(late.dimensions.timeliness !== null && late.dimensions.timeliness < 0.5);
  assert.ok(late.reasons.some((r) => r.startsWith('答复用时')), late.reasons.join('；'));
});

const teddy = path.join(loadConfig({ JIESU_TEDDY_DIR: process.env.JIESU_TEDDY_DIR }).teddyDir, 'replies.jsonl');

void test('teddy2020 replies: receipts score low, and the mean reply sits in the middle', (t) => {
  if (!existsSync(teddy)) return t.skip(`teddy2020 data not found at ${teddy} (set JIESU_TEDDY_DIR)`);
  const rows = readFileSync(teddy, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { title: string; body: string; reply: string; time: string; reply_time: string })
    .filter((_, i) => i % 4 === 0); // a quarter keeps the test quick
  const at = (s: string) => new Date(`${s.replace(' ', 'T')}+08:00`);
  const scored = rows.map((r) => ({ r, s: scoreReply({ title: r.title, body: r.body, reply: r.reply, time: at(r.time), replyTime: at(r.reply_time) }) }));
  const receipts = scored.filter((x) => /^网友：您好！留言已收悉$/.test(x.r.reply.trim()));
  assert.ok(receipts.length > 0);
  assert.ok(receipts.every((x) => x.s.weak));
  const long = scored.filter((x) => x.r.reply.length > 600);
  const mean = (xs: typeof scored) => xs.reduce((a, x) => a + x.s.score, 0) / xs.length;
  assert.ok(mean(long) > 0.65, `long replies ${mean(long).toFixed(3)}`);
  const m = mean(scored);
  assert.ok(m > 0.45 && m < 0.75, m.toFixed(3));
  const weakShare = scored.filter((x) => x.s.score < WEAK_REPLY_SCORE).length / scored.length;
  assert.ok(weakShare > 0.1 && weakShare < 0.4, weakShare.toFixed(3));
});

void test('a short reply that reports the fix is not weak for leaving out the address (regression: place names counted as unanswered problems)', () => {
  const fixed = scoreReply({ title: '小区门口路灯坏了', body: '望京西园三区门口路灯坏了一周，晚上很黑', reply: '已更换路灯灯泡，恢复照明，已电话告知诉求人。' });
  assert.equal(fixed.weak, false, JSON.stringify(fixed));
  assert.ok(!fixed.evidence.missedKeywords.some((k) => ['望京', '西园', '三区', '小区'].includes(k)), fixed.evidence.missedKeywords.join(','));
  assert.equal(fixed.evidence.answeredDemands, fixed.evidence.demands);
  // Words about the problem still count: the same length about something else stays weak.
  const beside = scoreReply({ title: '小区门口路灯坏了', body: '望京西园三区门口路灯坏了一周，晚上很黑', reply: '已清理垃圾桶周边卫生，已电话告知诉求人。' });
  assert.equal(beside.weak, true, JSON.stringify(beside.dimensions));
});
