import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseBeijingTime } from '../jsonl.js';
import { command as hot } from './hot.js';
import { command as replies } from './replies.js';
import type { CliCommand } from '../command.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/jiesu.mjs', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Most cases run the command in this process (spawning tsx and loading jieba takes seconds each); one spawn per
// command checks that `npx jiesu` knows it.
async function runInProcess(cmd: CliCommand, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (add: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _enc, done) {
        add(chunk.toString());
        done();
      },
    });
  const code = await cmd.run(args, { stdin: Readable.from([]), stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'jiesu-hot-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, lines: string[]): string => {
  const p = path.join(dir, name);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
};

const smoke = [
  ['丽景花园旁工地夜间施工噪音扰民', 'A3区丽景花园旁边的工地每天晚上施工到凌晨，噪音太大，孩子没法睡觉', '2019-07-01 10:00:00', 'u1', 3],
  ['投诉丽景花园附近工地深夜施工', '丽景花园小区附近工地深夜还在施工，搅拌机噪音严重扰民', '2019-07-03 22:10:00', 'u2', 0],
  ['A3区丽景花园夜间施工噪音', '丽景花园对面工地夜间施工噪音大，希望有关部门管一管', '2019-07-05 23:30:00', 'u3', 1],
  ['咨询公积金提取', '请问离职后公积金怎么提取', '2019-07-02 09:00:00', 'u4', 0],
].map(([title, body, time, user, likes], i) => JSON.stringify({ id: String(i + 1), title, body, time, user, likes, dislikes: 0 }));

void test('parseBeijingTime: wall-clock times are Beijing time, instants keep their offset, the rest is null', () => {
  assert.equal(parseBeijingTime('2019-02-28 11:25:05')?.toISOString(), '2019-02-28T03:25:05.000Z');
  assert.equal(parseBeijingTime('2019-02-28')?.toISOString(), '2019-02-27T16:00:00.000Z');
  assert.equal(parseBeijingTime('2019-02-28T03:25:05Z')?.toISOString(), '2019-02-28T03:25:05.000Z');
  assert.equal(parseBeijingTime('2019-02-30 10:00'), null);
  assert.equal(parseBeijingTime('yesterday'), null);
});

void test('jiesu hot: JSONL in, the issues as JSON out', async () => {
  const { code, stdout, stderr } = await runCli(['hot', '--in', file('ok.jsonl', smoke), '--top', '5']); // through `npx jiesu`
  assert.equal(code, 0, stderr);
  const out = JSON.parse(stdout) as { issues: { rank: number; heat: number; place: string; from: string; to: string; description: string; ids: string[] }[] };
  assert.equal(out.issues.length, 1);
  const [issue] = out.issues;
  assert.deepEqual(issue?.ids, ['1', '2', '3']);
  assert.equal(issue?.place, 'A3区丽景花园');
  assert.equal(issue?.from, '2019-07-01');
  assert.equal(issue?.to, '2019-07-05');
  assert.ok((issue?.heat ?? 0) > 0 && issue?.description);
  assert.match(stderr, /4 messages, 1 issues/);
});

void test('jiesu hot: a broken line is reported with its number and nothing is written (exit 2); so is a missing file', async () => {
  const broken = await runInProcess(hot, ['--in', file('broken.jsonl', [smoke[0] ?? '', '{"id": "2", "title": 丽景}', smoke[2] ?? '', JSON.stringify({ id: 4, title: 't', time: 'soon' })])]);
  assert.equal(broken.code, 2);
  assert.equal(broken.stdout, '');
  assert.match(broken.stderr, /第 2 行 line 2: JSON 格式错误/);
  assert.match(broken.stderr, /第 4 行 line 4: time 无法识别/);
  const missing = await runInProcess(hot, ['--in', path.join(dir, 'nope.jsonl')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /无法读取输入文件/);
  const usage = await runInProcess(hot, []);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--in/);
});

void test('jiesu replies: a summary by default, one score per row with --jsonl; bad input exits 2', async () => {
  const rows = file('replies.jsonl', [
    JSON.stringify({ id: 'a', title: '丽景花园物业乱收停车费', body: '物业把停车费从每月300元涨到500元，能否责令退还？', time: '2019-04-01 10:00:00', reply: '网友：您好！留言已收悉', reply_time: '2019-04-02 10:00:00' }),
    JSON.stringify({
      id: 'b',
      title: '丽景花园物业乱收停车费',
      body: '物业把停车费从每月300元涨到500元，能否责令退还？',
      time: '2019-04-01 10:00:00',
      reply: '网友您好！经调查核实，物业未按《西地省物业管理条例》规定公示停车费收费依据。我局已责令物业恢复每月300元收费，并于4月20日前退还多收的停车费，目前已有86户领取退款。如有疑问请致电 0731-84511234。',
      reply_time: '2019-04-03 16:00:00',
    }),
  ]);
  const summary = await runInProcess(replies, ['--in', rows, '--worst', '1', '--best', '1']);
  assert.equal(summary.code, 0, summary.stderr);
  assert.match(summary.stdout, /答复质量 reply quality: 2 条 rows/);
  assert.match(summary.stdout, /薄弱 weak \(score < 0.45\): 1 \(50.0%\)/);
  assert.match(summary.stdout, /最差 worst 1:\n {2}\[a\]/);
  assert.match(summary.stdout, /最好 best 1:\n {2}\[b\]/);
  const jsonl = await runInProcess(replies, ['--in', rows, '--jsonl']);
  const scores = jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; score: number; weak: boolean; reasons: string[] });
  assert.deepEqual(scores.map((s) => [s.id, s.weak]), [['a', true], ['b', false]]);
  assert.ok((scores[1]?.score ?? 0) > (scores[0]?.score ?? 1));
  const bad = await runInProcess(replies, ['--in', file('bad-replies.jsonl', [JSON.stringify({ id: 'x', title: 't' })])]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /第 1 行 line 1: 缺少 reply/);
  const help = await runCli(['replies', '--help']); // through `npx jiesu`
  assert.equal(help.code, 0);
  assert.match(help.stdout, /npx jiesu replies --in FILE.jsonl/);
});
