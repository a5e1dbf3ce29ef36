/**
 * The states of a work order (工单). See DOMAIN.md, "Life of a work order", and `transitionTable` in
 * `./actions.ts` for how an order moves between them.
 */

export const orderStates = [
  'accepted',
  'pending_review',
  'dispatched',
  'signed',
  'responded',
  'in_progress',
  'replied',
  'followed_up',
  'closed',
  'returned',
  'parked',
  'terminated',
  'invalid',
  'merged',
] as const;

export type OrderState = (typeof orderStates)[number];

/** Chinese label of each state. */
export const orderStateLabels: Record<OrderState, string> = {
  accepted: '受理',
  pending_review: '待审核',
  dispatched: '已派单',
  signed: '已签收',
  responded: '已响应',
  in_progress: '办理中',
  replied: '已反馈',
  followed_up: '已回访',
  closed: '已办结',
  returned: '退单待审',
  parked: '挂账',
  terminated: '已终止',
  invalid: '无效',
  merged: '已合并',
};

/** States an order never leaves (except `closed`, which a reopen may revive). */
export const finalStates: readonly OrderState[] = ['closed', 'terminated', 'invalid', 'merged'];

/** States in which the order is still being worked on. */
export const openStates: readonly OrderState[] = orderStates.filter((s) => !finalStates.includes(s));

/** States in which the handling unit holds the order (its clocks run, it can be urged). */
export const withUnitStates: readonly OrderState[] = ['dispatched', 'signed', 'responded', 'in_progress', 'parked'];

/** An order still being worked on before its reply: a new request of the same place may repeat it (重复诉求). */
export const repeatableStates: readonly OrderState[] = ['accepted', 'pending_review', 'dispatched', 'signed', 'responded', 'in_progress', 'returned'];

/** Who has the next move: the hotline centre, the handling unit, or nobody. */
export type OrderHolder = 'hotline' | 'unit' | 'none';

/** Narrow a stored string to an OrderState. */
export function isOrderState(value: string): value is OrderState {
  return (orderStates as readonly string[]).includes(value);
}

/** `isOpen('returned')` → true; `isOpen('closed')` → false. */
export function isOpen(state: OrderState): boolean {
  return !finalStates.includes(state);
}

/** `isFinal('merged')` → true. */
export function isFinal(state: OrderState): boolean {
  return finalStates.includes(state);
}

/** `isWithUnit('signed')` → true; `isWithUnit('returned')` → false (the hotline reviews a return). */
export function isWithUnit(state: OrderState): boolean {
  return withUnitStates.includes(state);
}

/** Who must act next on an order in this state, for work queues. */
export function holderOf(state: OrderState): OrderHolder {
  switch (state) {
    case 'accepted':
    case 'pending_review':
    case 'returned':
    case 'replied':
    case 'followed_up':
      return 'hotline';
    case 'dispatched':
    case 'signed':
    case 'responded':
    case 'in_progress':
    case 'parked':
      return 'unit';
    case 'closed':
    case 'terminated':
    case 'invalid':
    case 'merged':
      return 'none';
  }
}
