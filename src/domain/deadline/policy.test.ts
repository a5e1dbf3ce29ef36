import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import {
  DEFAULT_POLICIES,
  deadlinePolicySchema,
  formatDuration,
  nominalMs,
  parseDeadlinePolicy,
  policyForUrgency,
  validateDeadlinePolicy,
} from './policy.js';
import type { DeadlinePolicy } from './policy.js';

const general: DeadlinePolicy = {
  code: 'general',
  name: '一般诉求',
  urgency: 'general',
  clocks: {
    sign: { amount: 2, unit: 'hours' },
    response: { amount: 24, unit: 'hours' },
    reply: { amount: 7, unit: 'working_days' },
  },
  warnBefore: { fraction: 0.2 },
  pauseStates: ['extension_pending'],
};

/** A copy of the valid policy with one part replaced; `undefined` removes the key. */
function withPart(part: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...general, ...part };
  for (const [k, v] of Object.entries(part)) if (v === undefined) delete copy[k];
  return copy;
}

const CHINESE = /[\u4e00-\u9fff]/;

function problemsOf(input: unknown): Record<string, string> {
  const problems = validateDeadlinePolicy(input);
  for (const p of problems) assert.match(p.reason, CHINESE, `reason for ${p.field} should be Chinese: ${p.reason}`);
  return Object.fromEntries(problems.map((p) => [p.field, p.reason]));
}

describe('default policies', () => {
  it('are all valid and survive a parse unchanged', () => {
    for (const p of DEFAULT_POLICIES) {
      assert.deepEqual(validateDeadlinePolicy(p), [], p.code);
      assert.deepEqual(parseDeadlinePolicy(structuredClone(p)), p);
    }
  });

  it('follow DOMAIN.md: emergency 2 h, utility 24 h, general 7 and complex 15 working days', () => {
    assert.deepEqual(policyForUrgency('emergency').clocks.response, { amount: 2, unit: 'hours' });
    assert.deepEqual(policyForUrgency('utility').clocks.reply, { amount: 24, unit: 'hours' });
    assert.deepEqual(policyForUrgency('general').clocks.reply, { amount: 7, unit: 'working_days' });
    assert.deepEqual(policyForUrgency('complex').clocks.reply, { amount: 15, unit: 'working_days' });
  });

  it('give every urgency exactly one policy, each with a response clock (the response rate needs it); emergencies have no separate sign clock', () => {
    const urgencies = DEFAULT_POLICIES.map((p) => p.urgency).sort();
    assert.deepEqual(urgencies, ['complex', 'emergency', 'general', 'utility']);
    for (const p of DEFAULT_POLICIES) {
      assert.ok(p.clocks.response, p.code);
      assert.equal(p.clocks.sign === undefined, p.urgency === 'emergency', p.code);
      assert.deepEqual(p.pauseStates, ['extension_pending']);
    }
  });

  it('warn the emergency response at half time (journey 5: warned after 1 of 2 hours)', () => {
    assert.deepEqual(policyForUrgency('emergency').warnBefore, { fraction: 0.5 });
  });

  it('are looked up in an operator-supplied list too', () => {
    const only = [{ ...general, code: 'general-2027' }];
    assert.equal(policyForUrgency('general', only).code, 'general-2027');
    assert.throws(
      () => policyForUrgency('emergency', only),
      (e: unknown) => e instanceof DomainError && e.code === 'NOT_FOUND' && CHINESE.test(e.message),
    );
  });
});

describe('policy validation', () => {
  it('defaults pauseStates to extension_pending when omitted', () => {
    const parsed = parseDeadlinePolicy(withPart({ pauseStates: undefined }));
    assert.deepEqual(parsed.pauseStates, ['extension_pending']);
  });

  it('accepts a policy without sign and response clocks, and a duration as warnBefore', () => {
    const p = parseDeadlinePolicy(
      withPart({ clocks: { reply: { amount: 3, unit: 'calendar_days' } }, warnBefore: { amount: 4, unit: 'hours' } }),
    );
    assert.deepEqual(p.clocks, { reply: { amount: 3, unit: 'calendar_days' } });
  });

  it('accepts fractional hours', () => {
    assert.deepEqual(problemsOf(withPart({ clocks: { ...general.clocks, sign: { amount: 1.5, unit: 'hours' } } })), {});
  });

  it('rejects zero and negative amounts', () => {
    assert.deepEqual(problemsOf(withPart({ clocks: { reply: { amount: 0, unit: 'working_days' } } })), {
      'clocks.reply.amount': '时长必须大于 0',
    });
    assert.deepEqual(problemsOf(withPart({ clocks: { reply: { amount: -7, unit: 'working_days' } } })), {
      'clocks.reply.amount': '时长必须大于 0',
    });
  });

  it('rejects unknown units', () => {
    const problems = problemsOf(withPart({ clocks: { reply: { amount: 1, unit: 'weeks' } } }));
    assert.deepEqual(Object.keys(problems), ['clocks.reply.unit']);
    assert.match(problems['clocks.reply.unit'] ?? '', /时间单位未知/);
  });

  it('rejects half working days, fractional minutes and fractional calendar days', () => {
    assert.deepEqual(problemsOf(withPart({ clocks: { reply: { amount: 7.5, unit: 'working_days' } } })), {
      'clocks.reply.amount': '以工作日计的时长必须是整数',
    });
    assert.deepEqual(problemsOf(withPart({ clocks: { reply: { amount: 1.5, unit: 'calendar_days' } } })), {
      'clocks.reply.amount': '以自然日计的时长必须是整数',
    });
    assert.deepEqual(problemsOf(withPart({ clocks: { reply: { amount: 0.5, unit: 'minutes' } } })), {
      'clocks.reply.amount': '以分钟计的时长必须是整数',
    });
  });

  it('rejects durations longer than a year (a typo guard)', () => {
    assert.deepEqual(problemsOf(withPart({ clocks: { reply: { amount: 700, unit: 'working_days' } } })), {
      'clocks.reply.amount': '时长不能超过一年',
    });
  });

  it('rejects non-numeric amounts and durations that are not objects', () => {
    const problems = problemsOf(withPart({ clocks: { reply: { amount: '7', unit: 'working_days' }, sign: '2h' } }));
    assert.equal(problems['clocks.reply.amount'], '时长必须是数字');
    assert.equal(problems['clocks.sign'], '时长应为 { amount, unit }');
  });

  it('requires a reply clock', () => {
    const problems = problemsOf(withPart({ clocks: { sign: { amount: 2, unit: 'hours' } } }));
    assert.ok('clocks.reply' in problems, JSON.stringify(problems));
  });

  it('rejects a sign clock longer than the response clock, and a response clock longer than the reply', () => {
    assert.deepEqual(
      problemsOf(
        withPart({
          clocks: {
            sign: { amount: 3, unit: 'hours' },
            response: { amount: 2, unit: 'hours' },
            reply: { amount: 1, unit: 'hours' },
          },
        }),
      ),
      { 'clocks.sign': '签收时限不能长于响应时限', 'clocks.response': '响应时限不能长于答复时限' },
    );
    assert.deepEqual(
      problemsOf(
        withPart({ clocks: { sign: { amount: 2, unit: 'calendar_days' }, reply: { amount: 1, unit: 'working_days' } } }),
      ),
      { 'clocks.sign': '签收时限不能长于答复时限' },
    );
  });

  it('rejects warning fractions outside (0, 1) and malformed warnBefore', () => {
    assert.deepEqual(problemsOf(withPart({ warnBefore: { fraction: 1 } })), { 'warnBefore.fraction': '预警比例必须小于 1' });
    assert.deepEqual(problemsOf(withPart({ warnBefore: { fraction: 0 } })), { 'warnBefore.fraction': '预警比例必须大于 0' });
    assert.ok('warnBefore' in problemsOf(withPart({ warnBefore: '20%' })));
  });

  it('rejects bad codes, empty names, unknown urgencies', () => {
    const problems = problemsOf(withPart({ code: 'General Policy', name: '  ', urgency: 'urgent' }));
    assert.deepEqual(Object.keys(problems).sort(), ['code', 'name', 'urgency']);
    assert.equal(problems['name'], '名称不能为空');
  });

  it('rejects duplicate and malformed pause states', () => {
    assert.deepEqual(problemsOf(withPart({ pauseStates: ['extension_pending', 'extension_pending'] })), {
      pauseStates: '暂停状态不能重复',
    });
    assert.deepEqual(problemsOf(withPart({ pauseStates: ['延期中'] })), { 'pauseStates.0': '暂停状态编码格式不正确' });
  });

  it('names each unknown key by its path', () => {
    const clocks = { ...general.clocks, close: { amount: 1, unit: 'hours' } };
    assert.deepEqual(problemsOf(withPart({ colour: 'red', clocks })), {
      colour: '未知字段',
      'clocks.close': '未知字段',
    });
  });

  it('explains a non-object in Chinese', () => {
    assert.deepEqual(problemsOf(null), { '(policy)': '时限策略应为对象' });
  });

  it('throws a VALIDATION_FAILED domain error with every field problem', () => {
    assert.throws(
      () => parseDeadlinePolicy(withPart({ code: '', clocks: { reply: { amount: -1, unit: 'weeks' } } })),
      (e: unknown) => {
        assert.ok(e instanceof DomainError);
        assert.equal(e.code, 'VALIDATION_FAILED');
        assert.match(e.message, /^时限策略无效：/);
        assert.deepEqual(e.fields?.map((f) => f.field).sort(), ['clocks.reply.amount', 'clocks.reply.unit', 'code']);
        return true;
      },
    );
  });

  it('exports the schema for the HTTP edge', () => {
    assert.equal(deadlinePolicySchema.safeParse(general).success, true);
  });
});

describe('duration helpers', () => {
  it('measures durations nominally (a working day as a calendar day)', () => {
    assert.equal(nominalMs({ amount: 30, unit: 'minutes' }), 1_800_000);
    assert.equal(nominalMs({ amount: 2, unit: 'hours' }), 7_200_000);
    assert.equal(nominalMs({ amount: 1, unit: 'working_days' }), nominalMs({ amount: 24, unit: 'hours' }));
  });

  it('formats durations in Chinese', () => {
    assert.equal(formatDuration({ amount: 7, unit: 'working_days' }), '7个工作日');
    assert.equal(formatDuration({ amount: 2, unit: 'hours' }), '2小时');
    assert.equal(formatDuration({ amount: 30, unit: 'minutes' }), '30分钟');
    assert.equal(formatDuration({ amount: 3, unit: 'calendar_days' }), '3个自然日');
  });
});
