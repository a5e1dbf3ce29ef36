/**
 * The work-order lifecycle, table-driven: every action from every state, every role, the scope rules,
 * the payload rules, and the journeys of JOURNEYS.md that run through the order (1, 2, 6, 11, 12).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../errors.js';
import { roles, type ActorRef, type Role } from '../roles.js';
import {
  actionKinds,
  actionLabels,
  transitionTable,
  type ActionKind,
  type OrderAction,
} from './actions.js';
import {
  allowedActions,
  applyDecision,
  decideTransition,
  refusalOf,
  runningClocks,
  type Decision,
  type Effect,
  type OrderSnapshot,
} from './lifecycle.js';
import { orderStateLabels, orderStates, type OrderState } from './states.js';

// --- fixtures --------------------------------------------------------------------------------------------
const CITY = '/110000/';
const CHAOYANG = '/110000/110105/';
const XICHENG = '/110000/110102/';
const WANGJING = '/110000/110105/110105026/';
const JIUXIANQIAO = '/110000/110105/110105011/';
const CGZF = '/110000/110105/110105-CGZF/';
const SCJG = '/110000/110105/110105-SCJG/';
const WATER = '/110000/110000-WATER/';
/** Tue 2026-09-29 21:40 Beijing time (Journey 1). */
const NOW = new Date('2026-09-29T13:40:00Z');
const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60 * 1000;
const staff = (userId: string, role: Role, unitId: string, scopePath: string): ActorRef => ({ userId, role, unitId, scopePath });
const actors = {
  agent: staff('agent', 'agent', '110000-12345', CITY),
  dispatcher: staff('dispatcher', 'dispatcher', '110000-12345', CITY),
  supervisor: staff('supervisor', 'supervisor', '110000-12345', CITY),
  admin: staff('admin', 'admin', '110000', CITY),
  leaderCity: staff('leader', 'leader', '110000', CITY),
  leaderChaoyang: staff('leader_cy', 'leader', '110105', CHAOYANG),
  wangjing: staff('wangjing', 'handler', '110105026', WANGJING),
  wangjingLeader: staff('wangjing_leader', 'leader', '110105026', WANGJING),
  jiuxianqiao: staff('jiuxianqiao', 'handler', '110105011', JIUXIANQIAO),
  chaoyangHandler: staff('chaoyang', 'handler', '110105', CHAOYANG),
  chengguan: staff('chengguan', 'handler', '110105-CGZF', CGZF),
  market: staff('market', 'handler', '110105-SCJG', SCJG),
  water: staff('water', 'handler', '110000-WATER', WATER),
  grid: staff('grid', 'grid_worker', '110105026', WANGJING),
  gridJiuxianqiao: staff('grid_jxq', 'grid_worker', '110105011', JIUXIANQIAO),
  xichengDispatcher: staff('xc_dispatcher', 'dispatcher', '110102', XICHENG),
  chaoyangDispatcher: staff('cy_dispatcher', 'dispatcher', '110105', CHAOYANG),
  citizen: { userId: 'citizen-1', role: 'citizen', unitId: null, scopePath: null } satisfies ActorRef,
  otherCitizen: { userId: 'citizen-2', role: 'citizen', unitId: null, scopePath: null } satisfies ActorRef,
} as const;

/** An actor of `role` with the whole city as scope, to test roles apart from jurisdiction. */
function cityActor(role: Role): ActorRef {
  return role === 'citizen'
    ? { userId: 'someone', role, unitId: null, scopePath: null }
    : { userId: `any-${role}`, role, unitId: '110000', scopePath: CITY };
}

/** An order of 望京街道 (co-unit 城管执法局) in the given state; not yet dispatched ones have no units. */
function orderIn(state: OrderState, extra: Partial<OrderSnapshot> = {}): OrderSnapshot {
  const dispatched = state !== 'accepted' && state !== 'pending_review';
  return {
    id: 'order-1',
    state,
    version: 3,
    leadUnitId: dispatched ? '110105026' : null,
    leadUnitPath: dispatched ? WANGJING : null,
    coUnitPaths: dispatched ? [CGZF] : [],
    signedCoUnitPaths: [],
    extension: null,
    reopenCount: 0,
    parkedUntil: state === 'parked' ? new Date(NOW.getTime() + 90 * DAY) : null,
    replyDueAt: new Date(NOW.getTime() + 7 * DAY),
    stateBeforeReturn: state === 'returned' ? 'signed' : null,
    stateBeforePark: state === 'parked' ? 'in_progress' : null,
    requesterUserIds: ['citizen-1'],
    cityPath: CITY,
    ...extra,
  };
}

const pendingExtension = { state: 'pending', requestedAt: new Date(NOW.getTime() - DAY), days: 5, reason: '需协调物业' } as const;

// --- helpers ---------------------------------------------------------------------------------------------

/** Run `fn` and return the DomainError it throws; fail if it does not throw one. */
function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  assert.fail('expected a DomainError');
}

const decide = (order: OrderSnapshot, action: OrderAction, actor: ActorRef, now = NOW): Decision =>
  decideTransition({ order, action, actor, now });

const hasEffect = (d: Decision, e: Effect) => d.effects.some((x) => JSON.stringify(x) === JSON.stringify(e));

/** A valid call for each action: the actor who may do it, the payload, and the order it needs. */
type Case = { actor: ActorRef; action: OrderAction; order?: (state: OrderState) => OrderSnapshot };

const cases: { [K in ActionKind]: Case } = {
  dispatch: {
    actor: actors.dispatcher,
    action: { kind: 'dispatch', leadUnitId: '110105026', leadUnitPath: WANGJING, coUnits: [{ id: '110105-CGZF', path: CGZF }] },
  },
  send_to_review: { actor: actors.agent, action: { kind: 'send_to_review', reason: '分类置信度低于阈值' } },
  sign: { actor: actors.wangjing, action: { kind: 'sign' } },
  respond: { actor: actors.wangjing, action: { kind: 'respond', contactMethod: 'phone', note: '已电话联系诉求人，约定明日上门' } },
  start_handling: { actor: actors.wangjing, action: { kind: 'start_handling' } },
  reply: {
    actor: actors.wangjing,
    action: { kind: 'reply', text: '经核查，该烧烤店已安装油烟净化设备并承诺22点前停业。', attachments: ['photo-1.jpg'], resolvedClaim: true },
  },
  follow_up: { actor: actors.agent, action: { kind: 'follow_up', resolution: 'resolved', satisfaction: 'satisfied' } },
  close: { actor: actors.agent, action: { kind: 'close' } },
  close_direct: { actor: actors.agent, action: { kind: 'close_direct', answer: '持身份证和居住登记材料到所在社区服务站办理。' } },
  reopen: { actor: actors.dispatcher, action: { kind: 'reopen', reason: '诉求人反映屋顶仍漏水' } },
  return: { actor: actors.wangjing, action: { kind: 'return', reason: '供水管网属自来水集团', evidence: ['pipe.jpg'] } },
  approve_return: {
    actor: actors.dispatcher,
    action: { kind: 'approve_return', leadUnitId: '110000-WATER', leadUnitPath: WATER, coUnits: [] },
  },
  reject_return: { actor: actors.dispatcher, action: { kind: 'reject_return', reason: '属地管理范围，请街道办理' } },
  request_extension: { actor: actors.wangjing, action: { kind: 'request_extension', days: 5, reason: '需协调物业公司' } },
  approve_extension: {
    actor: actors.supervisor,
    action: { kind: 'approve_extension' },
    order: (s) => orderIn(s, { extension: pendingExtension }),
  },
  refuse_extension: {
    actor: actors.supervisor,
    action: { kind: 'refuse_extension', reason: '理由不充分' },
    order: (s) => orderIn(s, { extension: pendingExtension }),
  },
  urge: { actor: actors.supervisor, action: { kind: 'urge', note: '请尽快联系诉求人' } },
  supervise: { actor: actors.supervisor, action: { kind: 'supervise', note: '列入本周督办' } },
  escalate: { actor: actors.supervisor, action: { kind: 'escalate', toUnitId: '110105', toUnitPath: CHAOYANG, note: '超期未签收' } },
  park: { actor: actors.dispatcher, action: { kind: 'park', planDate: new Date(NOW.getTime() + 90 * DAY), reason: '需纳入明年改造计划' } },
  unpark: { actor: actors.supervisor, action: { kind: 'unpark' } },
  merge: { actor: actors.dispatcher, action: { kind: 'merge', intoOrderId: 'order-0' } },
  terminate: { actor: actors.dispatcher, action: { kind: 'terminate', reason: '诉求人多次联系不上' } },
  mark_invalid: { actor: actors.dispatcher, action: { kind: 'mark_invalid', reason: '恶意骚扰' } },
  verify_on_site: { actor: actors.grid, action: { kind: 'verify_on_site', result: 'passed', note: '现场已无油烟直排', photos: ['check-1.jpg'] } },
  comment: { actor: actors.agent, action: { kind: 'comment', text: '诉求人来电补充：晚上十点后尤其严重' } },
};

const orderFor = (kind: ActionKind, state: OrderState) => cases[kind].order?.(state) ?? orderIn(state);

/** The state an action from `state` should lead to, per the table. */
function expectedTarget(kind: ActionKind, order: OrderSnapshot): OrderState {
  const to = transitionTable[kind].to;
  if (to === 'same') return order.state;
  if (to === 'previous') return (order.state === 'returned' ? order.stateBeforeReturn : order.stateBeforePark) ?? 'in_progress';
  return to;
}

/** Drop one field from an action's payload (to check that it is required). */
function without(action: OrderAction, field: string): OrderAction {
  const copy: Record<string, unknown> = { ...action };
  delete copy[field];
  return copy as OrderAction;
}

// --- the table -------------------------------------------------------------------------------------------

describe('transition table: every action from every state', () => {
  for (const kind of actionKinds) {
    const rule = transitionTable[kind];
    for (const state of orderStates) {
      const order = orderFor(kind, state);
      if (rule.from.includes(state)) {
        it(`${kind} from ${state} → ${expectedTarget(kind, order)}`, () => {
          const d = decide(order, cases[kind].action, cases[kind].actor);
          assert.equal(d.from, state);
          assert.equal(d.to, expectedTarget(kind, order));
          assert.equal(d.eventType, kind);
          assert.equal(d.expectedVersion, order.version);
          assert.deepEqual(JSON.parse(JSON.stringify(d.eventData)), d.eventData, 'event data is plain JSON');
          assert.equal(applyDecision(order, d).version, order.version + 1);
        });
      } else if (!order.leadUnitPath && rule.scope !== 'order') {
        // No unit has any part in an order not yet dispatched: a unit's staff (handler, grid worker) are out of
        // scope, not out of turn.
        it(`${kind} from ${state} (no unit yet) is refused as FORBIDDEN`, () => {
          assert.equal(refusal(() => decide(order, cases[kind].action, cases[kind].actor)).code, 'FORBIDDEN');
        });
      } else {
        it(`${kind} from ${state} is refused as ILLEGAL_TRANSITION`, () => {
          const e = refusal(() => decide(order, cases[kind].action, cases[kind].actor));
          assert.equal(e.code, 'ILLEGAL_TRANSITION');
          assert.equal(e.message, `当前状态「${orderStateLabels[state]}」不能执行「${actionLabels[kind]}」`);
        });
      }
    }
  }
});

describe('transition table: roles', () => {
  for (const kind of actionKinds) {
    const rule = transitionTable[kind];
    const state = rule.from[0];
    if (!state) continue;
    for (const role of roles.filter((r) => !rule.roles.includes(r))) {
      it(`${kind} by ${role} is FORBIDDEN`, () => {
        const e = refusal(() => decide(orderFor(kind, state), cases[kind].action, cityActor(role)));
        assert.equal(e.code, 'FORBIDDEN');
      });
    }
  }
});

describe('transition table: required payload fields', () => {
  for (const kind of actionKinds) {
    const rule = transitionTable[kind];
    const state = rule.from[0];
    if (!state) continue;
    for (const field of rule.needs) {
      it(`${kind} without ${field} is VALIDATION_FAILED naming ${field}`, () => {
        const e = refusal(() => decide(orderFor(kind, state), without(cases[kind].action, field), cases[kind].actor));
        assert.equal(e.code, 'VALIDATION_FAILED');
        assert.ok(e.fields?.some((f) => f.field === field), JSON.stringify(e.fields));
      });
    }
  }
});

describe('jurisdiction', () => {
  const unitActions = actionKinds.filter((k) => transitionTable[k].scope === 'lead_unit' || transitionTable[k].scope === 'lead_or_co_unit');
  for (const kind of unitActions) {
    const state = transitionTable[kind].from[0] ?? 'dispatched';
    it(`${kind} by another street's handler is FORBIDDEN`, () => {
      const e = refusal(() => decide(orderFor(kind, state), cases[kind].action, actors.jiuxianqiao));
      assert.equal(e.code, 'FORBIDDEN');
    });
    it(`${kind} by the district's handler above the street is allowed`, () => {
      assert.equal(refusalOf({ order: orderFor(kind, state), kind, actor: actors.chaoyangHandler, now: NOW }), null);
    });
  }

  const hotlineActions = actionKinds.filter((k) => transitionTable[k].scope === 'order' && transitionTable[k].roles.includes('dispatcher'));
  for (const kind of hotlineActions) {
    const state = transitionTable[kind].from[0] ?? 'dispatched';
    it(`${kind} by a dispatcher of another district is FORBIDDEN`, () => {
      const e = refusal(() => decide(orderFor(kind, state), cases[kind].action, actors.xichengDispatcher));
      assert.equal(e.code, 'FORBIDDEN');
    });
  }

  it('another street\'s handler may not even comment', () => {
    const e = refusal(() => decide(orderIn('signed'), { kind: 'comment', text: '看看' }, actors.jiuxianqiao));
    assert.equal(e.code, 'FORBIDDEN');
    assert.equal(e.message, '该工单不在您的管辖范围内');
  });

  it('the district leader, the grid worker and the co-unit may comment', () => {
    for (const actor of [actors.leaderChaoyang, actors.grid, actors.chengguan, actors.admin]) {
      assert.equal(decide(orderIn('in_progress'), { kind: 'comment', text: '关注' }, actor).to, 'in_progress');
    }
  });

  it('a citizen comments on her own request only', () => {
    assert.equal(decide(orderIn('replied'), { kind: 'comment', text: '补充一张照片' }, actors.citizen).eventType, 'comment');
    assert.equal(refusal(() => decide(orderIn('replied'), { kind: 'comment', text: '看看' }, actors.otherCitizen)).code, 'FORBIDDEN');
  });

  it('a unit summoned by a whistle over the order may comment', () => {
    const order = orderIn('in_progress', { whistleUnitPaths: [SCJG] });
    assert.equal(decide(order, { kind: 'comment', text: '已到场' }, actors.market).eventType, 'comment');
  });

  it('a district dispatcher may not dispatch outside the district', () => {
    const order = orderIn('accepted', { cityPath: null });
    const action: OrderAction = { kind: 'dispatch', leadUnitId: '110102001', leadUnitPath: '/110000/110102/110102001/', coUnits: [] };
    const e = refusal(() => decide(order, action, actors.chaoyangDispatcher));
    assert.equal(e.code, 'FORBIDDEN');
    assert.equal(e.message, '不能派单给管辖范围以外的单位');
  });

  it('a dispatcher may not re-dispatch a return outside the district', () => {
    const e = refusal(() => decide(orderIn('returned'), cases.approve_return.action, actors.chaoyangDispatcher));
    assert.equal(e.code, 'FORBIDDEN');
  });
});

// --- co-units --------------------------------------------------------------------------------------------

describe('co-units', () => {
  for (const state of ['dispatched', 'signed', 'responded', 'in_progress'] as const) {
    it(`a co-unit signs its part in ${state} without changing the state`, () => {
      const d = decide(orderIn(state), { kind: 'sign' }, actors.chengguan);
      assert.equal(d.to, state);
      assert.deepEqual(d.effects, [{ kind: 'co_unit_signed', unitPath: CGZF }]);
      assert.deepEqual(d.patch.signedCoUnitPaths, [CGZF]);
      assert.deepEqual(d.eventData, { as: 'co_unit', unitPath: CGZF });
    });
  }

  it('a co-unit signs once', () => {
    const e = refusal(() => decide(orderIn('signed', { signedCoUnitPaths: [CGZF] }), { kind: 'sign' }, actors.chengguan));
    assert.equal(e.code, 'ILLEGAL_TRANSITION');
  });

  it('a co-unit cannot sign a closed order', () => {
    const e = refusal(() => decide(orderIn('closed'), { kind: 'sign' }, actors.chengguan));
    assert.equal(e.message, '当前状态「已办结」不能执行「签收」');
  });

  for (const kind of ['respond', 'reply', 'return', 'request_extension', 'start_handling'] as const) {
    it(`a co-unit may not ${kind} for the order`, () => {
      const state = transitionTable[kind].from.at(-1) ?? 'signed';
      const e = refusal(() => decide(orderIn(state), cases[kind].action, actors.chengguan));
      assert.equal(e.code, 'FORBIDDEN');
      assert.match(e.message, /协办单位不能执行/);
    });
  }

  it('the lead unit signing does not count as a co-unit sign', () => {
    const d = decide(orderIn('dispatched'), { kind: 'sign' }, actors.wangjing);
    assert.equal(d.to, 'signed');
    assert.deepEqual(d.effects, [{ kind: 'stop_clock', clock: 'sign' }]);
  });
});

// --- payload rules ---------------------------------------------------------------------------------------

describe('payload rules', () => {
  it('Journey 2: a return without a reason is refused, naming reason', () => {
    const action = { kind: 'return', evidence: ['pipe.jpg'] } as unknown as OrderAction;
    const e = refusal(() => decide(orderIn('dispatched'), action, actors.wangjing));
    assert.equal(e.code, 'VALIDATION_FAILED');
    assert.deepEqual(e.fields, [{ field: 'reason', reason: '不能为空' }]);
  });

  it('a return with a blank reason is refused too', () => {
    const e = refusal(() => decide(orderIn('signed'), { kind: 'return', reason: '   ' }, actors.wangjing));
    assert.deepEqual(e.fields?.map((f) => f.field), ['reason']);
  });

  it('a reply shorter than 10 characters is refused', () => {
    const e = refusal(() => decide(orderIn('in_progress'), { kind: 'reply', text: '已处理' }, actors.wangjing));
    assert.equal(e.code, 'VALIDATION_FAILED');
    assert.deepEqual(e.fields, [{ field: 'text', reason: '至少10个字' }]);
  });

  it('a reply of exactly 10 characters is accepted (counted as characters, not bytes)', () => {
    assert.equal(decide(orderIn('in_progress'), { kind: 'reply', text: '已联系商户完成整改了' }, actors.wangjing).to, 'replied');
  });

  it('the minimum reply length is policy', () => {
    const d = decideTransition({
      order: orderIn('in_progress'),
      action: { kind: 'reply', text: '已处理' },
      actor: actors.wangjing,
      now: NOW,
      policy: { minReplyLength: 2 },
    });
    assert.equal(d.to, 'replied');
  });

  it('a respond with an unknown contact method is refused', () => {
    const action = { kind: 'respond', contactMethod: 'pigeon', note: '已联系' } as unknown as OrderAction;
    assert.deepEqual(refusal(() => decide(orderIn('signed'), action, actors.wangjing)).fields?.map((f) => f.field), ['contactMethod']);
  });

  it('a follow-up with unknown answers names both fields', () => {
    const action = { kind: 'follow_up', resolution: 'maybe', satisfaction: 'meh' } as unknown as OrderAction;
    const e = refusal(() => decide(orderIn('replied'), action, actors.agent));
    assert.deepEqual(e.fields?.map((f) => f.field), ['resolution', 'satisfaction']);
  });

  for (const days of [0, 31, 2.5, -1]) {
    it(`an extension of ${days} days is refused`, () => {
      const e = refusal(() => decide(orderIn('signed'), { kind: 'request_extension', days, reason: '需协调' }, actors.wangjing));
      assert.deepEqual(e.fields?.map((f) => f.field), ['days']);
    });
  }

  it('a dispatch with the lead unit also as co-unit is refused', () => {
    const action: OrderAction = { kind: 'dispatch', leadUnitId: '110105026', leadUnitPath: WANGJING, coUnits: [{ id: '110105026', path: WANGJING }] };
    assert.deepEqual(refusal(() => decide(orderIn('accepted'), action, actors.dispatcher)).fields?.map((f) => f.field), ['coUnits[0].path']);
  });

  it('a dispatch to a malformed unit path is refused', () => {
    const action: OrderAction = { kind: 'dispatch', leadUnitId: 'x', leadUnitPath: '110105026', coUnits: [] };
    assert.deepEqual(refusal(() => decide(orderIn('accepted'), action, actors.dispatcher)).fields?.map((f) => f.field), ['leadUnitPath']);
  });

  it('a dispatch with a duplicate co-unit is refused', () => {
    const co = { id: '110105-CGZF', path: CGZF };
    const action: OrderAction = { kind: 'dispatch', leadUnitId: '110105026', leadUnitPath: WANGJING, coUnits: [co, co] };
    assert.deepEqual(refusal(() => decide(orderIn('accepted'), action, actors.dispatcher)).fields?.map((f) => f.field), ['coUnits[1].path']);
  });

  it('an approved return may not go back to the returning unit', () => {
    const action: OrderAction = { kind: 'approve_return', leadUnitId: '110105026', leadUnitPath: WANGJING, coUnits: [] };
    assert.deepEqual(refusal(() => decide(orderIn('returned'), action, actors.dispatcher)).fields?.map((f) => f.field), ['leadUnitPath']);
  });

  it('an order cannot be merged into itself', () => {
    const e = refusal(() => decide(orderIn('dispatched'), { kind: 'merge', intoOrderId: 'order-1' }, actors.dispatcher));
    assert.deepEqual(e.fields, [{ field: 'intoOrderId', reason: '不能合并到自身' }]);
  });

  it('a park plan date must lie ahead', () => {
    const e = refusal(() => decide(orderIn('in_progress'), { kind: 'park', planDate: new Date(NOW.getTime() - DAY), reason: '预算' }, actors.dispatcher));
    assert.deepEqual(e.fields?.map((f) => f.field), ['planDate']);
  });

  it('escalation goes to a superior of the order\'s units only', () => {
    const action: OrderAction = { kind: 'escalate', toUnitId: '110102', toUnitPath: XICHENG, note: '超期' };
    assert.deepEqual(refusal(() => decide(orderIn('dispatched'), action, actors.supervisor)).fields?.map((f) => f.field), ['toUnitPath']);
    const self: OrderAction = { kind: 'escalate', toUnitId: '110105026', toUnitPath: WANGJING, note: '超期' };
    assert.deepEqual(refusal(() => decide(orderIn('dispatched'), self, actors.supervisor)).fields?.map((f) => f.field), ['toUnitPath']);
  });

  it('every bad field is named at once, with a Chinese message', () => {
    const action = { kind: 'request_extension', days: 99 } as unknown as OrderAction;
    const e = refusal(() => decide(orderIn('signed'), action, actors.wangjing));
    assert.deepEqual(e.fields?.map((f) => f.field), ['days', 'reason']);
    assert.equal(e.message, '「申请延期」填写有误：延期天数须为1到30之间的整数；原因不能为空');
  });
});

// --- extensions ------------------------------------------------------------------------------------------

describe('extension (延期)', () => {
  it('asked before the reply deadline: pending, reply clock paused, supervisor told', () => {
    const d = decide(orderIn('in_progress'), cases.request_extension.action, actors.wangjing);
    assert.equal(d.to, 'in_progress');
    assert.deepEqual(d.patch.extension, { state: 'pending', requestedAt: NOW, days: 5, reason: '需协调物业公司', decidedAt: null, approvedDays: null });
    assert.deepEqual(d.effects, [
      { kind: 'pause_clock', clock: 'reply' },
      { kind: 'notify', to: 'supervisor', template: 'extension_requested' },
    ]);
  });

  it('asked after the reply deadline is refused', () => {
    const order = orderIn('in_progress', { replyDueAt: new Date(NOW.getTime() - MINUTE) });
    const e = refusal(() => decide(order, cases.request_extension.action, actors.wangjing));
    assert.equal(e.code, 'ILLEGAL_TRANSITION');
    assert.equal(e.message, '已超过答复时限，不能申请延期');
  });

  it('asked at the very instant of the deadline is refused', () => {
    const order = orderIn('in_progress', { replyDueAt: NOW });
    assert.equal(refusal(() => decide(order, cases.request_extension.action, actors.wangjing)).code, 'ILLEGAL_TRANSITION');
  });

  it('not while another is pending', () => {
    const order = orderIn('signed', { extension: pendingExtension });
    assert.match(refusal(() => decide(order, cases.request_extension.action, actors.wangjing)).message, /待审批/);
  });

  it('again after a refused one', () => {
    const order = orderIn('signed', { extension: { ...pendingExtension, state: 'refused' } });
    assert.equal(decide(order, cases.request_extension.action, actors.wangjing).patch.extension?.state, 'pending');
  });

  it('approved: clock resumes extended by the requested days', () => {
    const d = decide(orderIn('in_progress', { extension: pendingExtension }), { kind: 'approve_extension' }, actors.dispatcher);
    assert.ok(hasEffect(d, { kind: 'resume_clock', clock: 'reply', extendDays: 5 }));
    assert.equal(d.patch.extension?.state, 'approved');
    assert.equal(d.patch.extension?.approvedDays, 5);
    assert.deepEqual(d.patch.extension?.decidedAt, NOW);
  });

  it('approved for fewer days than asked', () => {
    const d = decide(orderIn('in_progress', { extension: pendingExtension }), { kind: 'approve_extension', days: 3 }, actors.supervisor);
    assert.ok(hasEffect(d, { kind: 'resume_clock', clock: 'reply', extendDays: 3 }));
    assert.deepEqual(d.eventData, { days: 3, requestedDays: 5 });
  });

  it('refused: clock resumes without extension', () => {
    const d = decide(orderIn('responded', { extension: pendingExtension }), cases.refuse_extension.action, actors.supervisor);
    assert.ok(hasEffect(d, { kind: 'resume_clock', clock: 'reply' }));
    assert.equal(d.patch.extension?.state, 'refused');
  });

  for (const kind of ['approve_extension', 'refuse_extension'] as const) {
    it(`${kind} with nothing pending is refused`, () => {
      const e = refusal(() => decide(orderIn('in_progress'), cases[kind].action, actors.supervisor));
      assert.equal(e.code, 'ILLEGAL_TRANSITION');
      assert.equal(e.message, '没有待审批的延期申请');
    });
  }

  it('a reply while an extension is pending withdraws it', () => {
    const d = decide(orderIn('in_progress', { extension: pendingExtension }), cases.reply.action, actors.wangjing);
    assert.equal(d.patch.extension, null);
  });

  it('an approved extension stays on record after the reply', () => {
    const d = decide(orderIn('in_progress', { extension: { ...pendingExtension, state: 'approved' } }), cases.reply.action, actors.wangjing);
    assert.equal('extension' in d.patch, false);
  });
});

// --- effects ---------------------------------------------------------------------------------------------

describe('effects', () => {
  it('dispatch sets the units, starts the three clocks, tells lead and co-units', () => {
    const d = decide(orderIn('accepted'), cases.dispatch.action, actors.dispatcher);
    assert.deepEqual(d.effects, [
      { kind: 'set_units', lead: { id: '110105026', path: WANGJING }, coUnits: [{ id: '110105-CGZF', path: CGZF }] },
      { kind: 'start_clocks', clocks: ['sign', 'response', 'reply'] },
      { kind: 'notify', to: 'lead_unit', template: 'order_dispatched' },
      { kind: 'notify', to: 'co_units', template: 'order_dispatched_co' },
    ]);
    assert.deepEqual(d.patch, { leadUnitId: '110105026', leadUnitPath: WANGJING, coUnitPaths: [CGZF], signedCoUnitPaths: [] });
  });

  it('respond stops the response clock; reply stops the reply clock and tells hotline and citizen', () => {
    assert.deepEqual(decide(orderIn('signed'), cases.respond.action, actors.wangjing).effects, [{ kind: 'stop_clock', clock: 'response' }]);
    assert.deepEqual(decide(orderIn('responded'), cases.reply.action, actors.wangjing).effects, [
      { kind: 'stop_clock', clock: 'reply' },
      { kind: 'notify', to: 'hotline', template: 'order_replied' },
      { kind: 'notify', to: 'citizen', template: 'order_replied' },
    ]);
  });

  it('a return pauses the clocks still running and remembers where it was', () => {
    const fromDispatched = decide(orderIn('dispatched'), cases.return.action, actors.wangjing);
    assert.deepEqual(
      fromDispatched.effects.filter((e) => e.kind === 'pause_clock').map((e) => e.kind === 'pause_clock' && e.clock),
      ['sign', 'response', 'reply'],
    );
    assert.equal(fromDispatched.patch.stateBeforeReturn, 'dispatched');
    const fromSigned = decide(orderIn('signed'), cases.return.action, actors.wangjing);
    assert.equal(fromSigned.effects.filter((e) => e.kind === 'pause_clock').length, 2);
  });

  it('a rejected return goes back where it was and resumes those clocks', () => {
    const d = decide(orderIn('returned', { stateBeforeReturn: 'dispatched' }), cases.reject_return.action, actors.dispatcher);
    assert.equal(d.to, 'dispatched');
    assert.deepEqual(
      d.effects.filter((e) => e.kind === 'resume_clock').map((e) => e.kind === 'resume_clock' && e.clock),
      ['sign', 'response', 'reply'],
    );
  });

  it('park pauses, unpark resumes and goes back to the state before parking', () => {
    const parked = decide(orderIn('signed'), cases.park.action, actors.dispatcher);
    assert.equal(parked.to, 'parked');
    assert.equal(parked.patch.stateBeforePark, 'signed');
    assert.deepEqual(parked.patch.parkedUntil, new Date(NOW.getTime() + 90 * DAY));
    assert.ok(hasEffect(parked, { kind: 'pause_clock', clock: 'response' }));
    assert.ok(hasEffect(parked, { kind: 'notify', to: 'citizen', template: 'order_parked' }));
    const order = applyDecision(orderIn('signed'), parked);
    const unparked = decide(order, { kind: 'unpark' }, actors.wangjing);
    assert.equal(unparked.to, 'signed');
    assert.ok(hasEffect(unparked, { kind: 'resume_clock', clock: 'response' }));
    assert.deepEqual(unparked.patch, { parkedUntil: null, stateBeforePark: null });
  });

  it('unpark without a recorded state goes to in_progress', () => {
    assert.equal(decide(orderIn('parked', { stateBeforePark: null }), { kind: 'unpark' }, actors.supervisor).to, 'in_progress');
  });

  it('urge, supervise and escalate change no state and tell the right unit', () => {
    assert.deepEqual(decide(orderIn('signed'), cases.urge.action, actors.dispatcher).effects, [{ kind: 'notify', to: 'lead_unit', template: 'order_urged' }]);
    assert.deepEqual(decide(orderIn('parked'), cases.supervise.action, actors.supervisor).effects, [
      { kind: 'notify', to: 'lead_unit', template: 'order_supervised' },
    ]);
    const d = decide(orderIn('dispatched'), cases.escalate.action, actors.supervisor);
    assert.equal(d.to, 'dispatched');
    assert.deepEqual(d.effects, [{ kind: 'notify', to: 'superior', template: 'order_escalated', unitPath: CHAOYANG }]);
  });

  it('merge cancels clocks, moves requesters and leaves assessment', () => {
    const d = decide(orderIn('dispatched'), cases.merge.action, actors.dispatcher);
    assert.deepEqual(d.effects, [
      { kind: 'cancel_clocks' },
      { kind: 'merge_into', intoOrderId: 'order-0' },
      { kind: 'exclude_from_assessment', reason: '重复诉求已合并' },
      { kind: 'notify', to: 'lead_unit', template: 'order_withdrawn' },
    ]);
    assert.equal(d.patch.mergedIntoId, 'order-0');
  });

  it('an invalid order is excluded from assessment as a whole', () => {
    const d = decide(orderIn('accepted'), cases.mark_invalid.action, actors.dispatcher);
    assert.ok(d.effects.some((e) => e.kind === 'exclude_from_assessment' && e.unitPath === undefined));
  });

  it('terminate cancels clocks and tells the citizen and, if it has the order, the unit', () => {
    const d = decide(orderIn('in_progress'), cases.terminate.action, actors.supervisor);
    assert.deepEqual(d.effects, [
      { kind: 'cancel_clocks' },
      { kind: 'notify', to: 'citizen', template: 'order_terminated' },
      { kind: 'notify', to: 'lead_unit', template: 'order_withdrawn' },
    ]);
    assert.equal(decide(orderIn('accepted'), cases.terminate.action, actors.supervisor).effects.length, 2);
  });

  it('comments carry the text and nothing else', () => {
    const d = decide(orderIn('closed'), cases.comment.action, actors.agent);
    assert.deepEqual(d.effects, []);
    assert.deepEqual(d.patch, {});
    assert.equal(d.to, 'closed');
  });

  it('running clocks by state', () => {
    assert.deepEqual(runningClocks('dispatched'), ['sign', 'response', 'reply']);
    assert.deepEqual(runningClocks('signed'), ['response', 'reply']);
    assert.deepEqual(runningClocks('in_progress'), ['reply']);
    assert.deepEqual(runningClocks('replied'), []);
  });
});

// --- on-site check (核查) --------------------------------------------------------------------------------

describe('on-site check (核查) by the grid worker', () => {
  it('a passed check is an event with the result, note and photos; no state change, no clocks, nobody told', () => {
    const d = decide(orderIn('replied'), cases.verify_on_site.action, actors.grid);
    assert.equal(d.to, 'replied');
    assert.equal(d.eventType, 'verify_on_site');
    assert.deepEqual(d.eventData, { result: 'passed', note: '现场已无油烟直排', photos: ['check-1.jpg'], unitPath: WANGJING });
    assert.deepEqual(d.effects, []);
    assert.deepEqual(d.patch, {});
  });

  it('a failed check tells the handling unit and the hotline', () => {
    const d = decide(orderIn('replied'), { kind: 'verify_on_site', result: 'failed', note: '油烟仍从后厨直排' }, actors.grid);
    assert.equal(d.to, 'replied');
    assert.deepEqual(d.eventData, { result: 'failed', note: '油烟仍从后厨直排', photos: [], unitPath: WANGJING });
    assert.deepEqual(d.effects, [
      { kind: 'notify', to: 'lead_unit', template: 'verify_failed' },
      { kind: 'notify', to: 'hotline', template: 'verify_failed' },
    ]);
  });

  it('a failed check must say what is still wrong', () => {
    const e = refusal(() => decide(orderIn('replied'), { kind: 'verify_on_site', result: 'failed' }, actors.grid));
    assert.equal(e.code, 'VALIDATION_FAILED');
    assert.deepEqual(e.fields, [{ field: 'note', reason: '不能为空' }]);
    assert.match(e.message, /说明不能为空/);
  });

  it('a passed check needs no note', () => {
    assert.equal(decide(orderIn('replied'), { kind: 'verify_on_site', result: 'passed' }, actors.grid).eventData.note, null);
  });

  it('an unknown result is refused, naming it', () => {
    const e = refusal(() => decide(orderIn('replied'), { kind: 'verify_on_site', result: 'fixed' as never }, actors.grid));
    assert.equal(e.code, 'VALIDATION_FAILED');
    assert.deepEqual(e.fields?.map((f) => f.field), ['result']);
  });

  it('photos must be a list of file ids', () => {
    const e = refusal(() => decide(orderIn('replied'), { kind: 'verify_on_site', result: 'passed', photos: 'a.jpg' as never }, actors.grid));
    assert.deepEqual(e.fields?.map((f) => f.field), ['photos']);
  });

  it('also after the follow-up, before the order is closed', () => {
    assert.equal(decide(orderIn('followed_up'), cases.verify_on_site.action, actors.grid).to, 'followed_up');
  });

  it('not while the unit is still handling it, nor once it is closed', () => {
    for (const state of ['in_progress', 'closed'] as const) {
      assert.equal(refusal(() => decide(orderIn(state), cases.verify_on_site.action, actors.grid)).code, 'ILLEGAL_TRANSITION');
    }
  });

  it('only within the grid worker\'s own street', () => {
    const e = refusal(() => decide(orderIn('replied'), cases.verify_on_site.action, actors.gridJiuxianqiao));
    assert.equal(e.code, 'FORBIDDEN');
    assert.equal(e.message, '该工单不在您的管辖范围内');
  });

  it('a grid worker checks an order of its street that a department leads with the street as co-unit', () => {
    const order = orderIn('replied', { leadUnitId: '110105-CGZF', leadUnitPath: CGZF, coUnitPaths: [WANGJING] });
    assert.equal(decide(order, cases.verify_on_site.action, actors.grid).eventData.unitPath, CGZF);
  });

  it('the handler may not check its own reply', () => {
    const e = refusal(() => decide(orderIn('replied'), cases.verify_on_site.action, actors.wangjing));
    assert.equal(e.code, 'FORBIDDEN');
    assert.equal(e.message, '承办人无权执行「现场核查」');
  });
});

// --- follow-up and reopen --------------------------------------------------------------------------------

describe('follow-up (回访) and reopen (重办)', () => {
  it('unresolved and unsatisfied recommends a reopen', () => {
    const d = decide(orderIn('replied'), { kind: 'follow_up', resolution: 'unresolved', satisfaction: 'unsatisfied', note: '屋顶仍漏水' }, actors.agent);
    assert.equal(d.to, 'followed_up');
    assert.equal(d.eventData.reopenRecommended, true);
    assert.deepEqual(d.effects, [{ kind: 'reopen_recommended', reason: '回访未解决且不满意' }]);
  });

  for (const [resolution, satisfaction] of [
    ['unresolved', 'basic'],
    ['partly', 'unsatisfied'],
    ['resolved', 'satisfied'],
    ['unresolved', 'no_answer'],
  ] as const) {
    it(`${resolution} + ${satisfaction} does not`, () => {
      const d = decide(orderIn('replied'), { kind: 'follow_up', resolution, satisfaction }, actors.agent);
      assert.equal(d.eventData.reopenRecommended, false);
      assert.deepEqual(d.effects, []);
    });
  }

  it('with the policy off, nothing is recommended', () => {
    const d = decideTransition({
      order: orderIn('replied'),
      action: { kind: 'follow_up', resolution: 'unresolved', satisfaction: 'unsatisfied' },
      actor: actors.agent,
      now: NOW,
      policy: { reopenOnUnsatisfied: false },
    });
    assert.deepEqual(d.effects, []);
  });

  it('Journey 6: reopen goes to the same unit with a new clock and counts', () => {
    const order = orderIn('followed_up', { reopenCount: 1, extension: { ...pendingExtension, state: 'approved' }, signedCoUnitPaths: [CGZF] });
    const d = decide(order, cases.reopen.action, actors.agent);
    assert.equal(d.to, 'dispatched');
    assert.equal(d.patch.reopenCount, 2);
    assert.equal(d.patch.extension, null);
    assert.deepEqual(d.patch.signedCoUnitPaths, []);
    assert.equal('leadUnitPath' in d.patch, false, 'lead unit unchanged');
    assert.ok(hasEffect(d, { kind: 'start_clocks', clocks: ['sign', 'response', 'reply'] }));
    assert.ok(hasEffect(d, { kind: 'notify', to: 'lead_unit', template: 'order_reopened' }));
    const next = applyDecision(order, d);
    assert.equal(decide(next, { kind: 'sign' }, actors.wangjing).to, 'signed');
  });

  it('a consultation closed on the spot cannot be reopened', () => {
    const order = orderIn('closed', { leadUnitId: null, leadUnitPath: null, coUnitPaths: [] });
    const e = refusal(() => decide(order, cases.reopen.action, actors.dispatcher));
    assert.equal(e.code, 'ILLEGAL_TRANSITION');
  });
});

// --- allowed actions -------------------------------------------------------------------------------------

describe('allowedActions', () => {
  const expect = (order: OrderSnapshot, actor: ActorRef, kinds: ActionKind[], now?: Date) =>
    assert.deepEqual(allowedActions(order, actor, now), kinds);

  it('the lead handler on a fresh dispatch: sign, return, comment', () => expect(orderIn('dispatched'), actors.wangjing, ['sign', 'return', 'comment']));
  it('the co-unit handler on a fresh dispatch: sign, comment', () => expect(orderIn('dispatched'), actors.chengguan, ['sign', 'comment']));
  it('the co-unit handler after signing: comment', () =>
    expect(orderIn('signed', { signedCoUnitPaths: [CGZF] }), actors.chengguan, ['comment']));
  it('another street\'s handler: nothing', () => expect(orderIn('dispatched'), actors.jiuxianqiao, []));
  it('the citizen on her own order: comment', () => expect(orderIn('in_progress'), actors.citizen, ['comment']));
  it('the lead handler in progress, before the deadline', () =>
    expect(orderIn('in_progress'), actors.wangjing, ['reply', 'request_extension', 'comment'], NOW));
  it('the lead handler in progress, after the deadline', () =>
    expect(orderIn('in_progress', { replyDueAt: new Date(NOW.getTime() - DAY) }), actors.wangjing, ['reply', 'comment'], NOW));
  it('the dispatcher on a new order', () =>
    expect(orderIn('accepted'), actors.dispatcher, ['dispatch', 'send_to_review', 'merge', 'terminate', 'mark_invalid', 'comment']));
  it('the agent on a new order', () => expect(orderIn('accepted'), actors.agent, ['dispatch', 'send_to_review', 'close_direct', 'comment']));
  it('the agent after the reply', () => expect(orderIn('replied'), actors.agent, ['follow_up', 'comment']));
  it('the supervisor on a pending extension', () =>
    expect(orderIn('signed', { extension: pendingExtension }), actors.supervisor, [
      'approve_extension',
      'refuse_extension',
      'urge',
      'supervise',
      'escalate',
      'park',
      'terminate',
      'comment',
    ]));
  it('a leader only comments', () => expect(orderIn('in_progress'), actors.leaderChaoyang, ['comment']));
  it('the grid worker after the reply: check on site, comment', () => expect(orderIn('replied'), actors.grid, ['verify_on_site', 'comment']));
  it('the grid worker while the unit handles it: comment', () => expect(orderIn('in_progress'), actors.grid, ['comment']));
  it('nothing but comments on a final order', () => {
    for (const state of ['terminated', 'invalid', 'merged'] as const) expect(orderIn(state), actors.dispatcher, ['comment']);
  });
});

// --- journeys --------------------------------------------------------------------------------------------

describe('journeys', () => {
  /** Apply a chain of [action, actor] to an order, checking each step's target. */
  function run(start: OrderSnapshot, steps: [OrderAction, ActorRef, OrderState][]): { order: OrderSnapshot; decisions: Decision[] } {
    let order = start;
    const decisions: Decision[] = [];
    let now = NOW.getTime();
    for (const [action, actor, to] of steps) {
      now += 30 * MINUTE;
      const d = decideTransition({ order, action, actor, now: new Date(now) });
      assert.equal(d.to, to, `${action.kind} → ${to}`);
      decisions.push(d);
      order = applyDecision(order, d);
    }
    return { order, decisions };
  }

  it('Journey 1: night-time smoke, accepted to closed, every step an event', () => {
    const { order, decisions } = run(orderIn('accepted'), [
      [{ kind: 'dispatch', leadUnitId: '110105026', leadUnitPath: WANGJING, coUnits: [] }, actors.agent, 'dispatched'],
      [{ kind: 'sign' }, actors.wangjing, 'signed'],
      [cases.respond.action, actors.wangjing, 'responded'],
      [cases.reply.action, actors.wangjing, 'replied'],
      [{ kind: 'follow_up', resolution: 'resolved', satisfaction: 'satisfied' }, actors.agent, 'followed_up'],
      [{ kind: 'close' }, actors.agent, 'closed'],
    ]);
    assert.equal(order.state, 'closed');
    assert.equal(order.version, 9);
    assert.deepEqual(decisions.map((d) => d.eventType), ['dispatch', 'sign', 'respond', 'reply', 'follow_up', 'close']);
    assert.deepEqual(decisions.flatMap((d) => d.effects.filter((e) => e.kind === 'stop_clock').map((e) => e.kind === 'stop_clock' && e.clock)), [
      'sign',
      'response',
      'reply',
    ]);
  });

  it('Journey 2: not ours — return, approve, water company signs; the street is not charged', () => {
    const { order, decisions } = run(orderIn('accepted'), [
      [{ kind: 'dispatch', leadUnitId: '110105026', leadUnitPath: WANGJING, coUnits: [] }, actors.dispatcher, 'dispatched'],
      [{ kind: 'return', reason: '供水管网属自来水集团', evidence: ['photo.jpg'] }, actors.wangjing, 'returned'],
      [cases.approve_return.action, actors.dispatcher, 'dispatched'],
      [{ kind: 'sign' }, actors.water, 'signed'],
    ]);
    assert.equal(order.leadUnitPath, WATER);
    const approve = decisions[2];
    assert.ok(approve);
    assert.deepEqual(approve.eventData.fromUnitPath, WANGJING);
    assert.deepEqual(approve.eventData.leadUnitPath, WATER);
    assert.ok(hasEffect(approve, { kind: 'exclude_from_assessment', reason: '退单已批准，原承办单位不计考核', unitPath: WANGJING }));
    assert.ok(hasEffect(approve, { kind: 'cancel_clocks' }));
    assert.ok(hasEffect(approve, { kind: 'start_clocks', clocks: ['sign', 'response', 'reply'] }));
    assert.equal(refusal(() => decide(order, { kind: 'comment', text: '还是我们的？' }, actors.wangjing)).code, 'FORBIDDEN');
  });

  it('Journey 4: a repeat is merged into the open order', () => {
    const d = decide(orderIn('accepted', { id: 'order-2' }), { kind: 'merge', intoOrderId: 'order-1' }, actors.dispatcher);
    assert.equal(d.to, 'merged');
    assert.ok(hasEffect(d, { kind: 'merge_into', intoOrderId: 'order-1' }));
  });

  it('Journey 11: only your own — the other street is refused, the district leader sees', () => {
    assert.equal(refusalOf({ order: orderIn('dispatched'), kind: 'comment', actor: actors.jiuxianqiao })?.code, 'FORBIDDEN');
    assert.equal(refusalOf({ order: orderIn('dispatched'), kind: 'comment', actor: actors.leaderChaoyang }), null);
  });

  it('Journey 12: a consultation closed on the spot with the answer recorded', () => {
    const d = decide(orderIn('accepted'), cases.close_direct.action, actors.agent);
    assert.equal(d.to, 'closed');
    assert.deepEqual(d.eventData, { answer: '持身份证和居住登记材料到所在社区服务站办理。', direct: true });
  });

  it('reply directly from responded (start_handling is optional)', () => {
    run(orderIn('signed'), [
      [cases.respond.action, actors.wangjing, 'responded'],
      [cases.reply.action, actors.wangjing, 'replied'],
    ]);
  });
});

describe('refusal messages', () => {
  it('name the state and the action in Chinese', () => {
    const e = refusal(() => decide(orderIn('closed'), { kind: 'sign' }, actors.wangjing));
    assert.equal(e.code, 'ILLEGAL_TRANSITION');
    assert.equal(e.message, '当前状态「已办结」不能执行「签收」');
  });

  it('name the role for a wrong role', () => {
    const e = refusal(() => decide(orderIn('dispatched'), { kind: 'sign' }, actors.agent));
    assert.equal(e.message, '受理员无权执行「签收」');
  });

  it('role is checked before state (no leak of the state to the wrong role)', () => {
    assert.equal(refusal(() => decide(orderIn('closed'), { kind: 'sign' }, actors.leaderCity)).code, 'FORBIDDEN');
  });

  it('every error is a DomainError with a stable code', () => {
    for (const kind of actionKinds) {
      for (const state of orderStates) {
        for (const actor of Object.values(actors)) {
          try {
            decide(orderFor(kind, state), cases[kind].action, actor);
          } catch (e) {
            assert.ok(e instanceof DomainError, `${kind}/${state}/${actor.userId}: ${String(e)}`);
            assert.ok(['FORBIDDEN', 'ILLEGAL_TRANSITION', 'VALIDATION_FAILED'].includes(e.code));
          }
        }
      }
    }
  });
});
