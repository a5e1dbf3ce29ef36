/** Order events as webhooks announce them: from `order_events.type` to a stable public name. */

export const webhookEvents = [
  'order.created',
  'order.dispatched',
  'order.signed',
  'order.responded',
  'order.replied',
  'order.followed_up',
  'order.closed',
  'order.reopened',
  'order.returned',
  'order.terminated',
  'order.invalidated',
  'order.merged',
  'order.parked',
  'order.overdue',
  'order.escalated',
] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

export const webhookEventLabels: Record<WebhookEvent, string> = {
  'order.created': '受理',
  'order.dispatched': '派单',
  'order.signed': '签收',
  'order.responded': '响应',
  'order.replied': '反馈',
  'order.followed_up': '回访',
  'order.closed': '办结',
  'order.reopened': '重办',
  'order.returned': '退单',
  'order.terminated': '终止',
  'order.invalidated': '无效',
  'order.merged': '合并',
  'order.parked': '挂账',
  'order.overdue': '超期',
  'order.escalated': '升级督办',
};

/** The event types the outbox trigger forwards (migration 0009 lists the same) and what each announces. */
const byType: Record<string, WebhookEvent> = {
  accept: 'order.created',
  dispatch: 'order.dispatched',
  approve_return: 'order.dispatched',
  sign: 'order.signed',
  respond: 'order.responded',
  reply: 'order.replied',
  follow_up: 'order.followed_up',
  close: 'order.closed',
  close_direct: 'order.closed',
  reopen: 'order.reopened',
  return: 'order.returned',
  terminate: 'order.terminated',
  mark_invalid: 'order.invalidated',
  merge: 'order.merged',
  park: 'order.parked',
  overdue: 'order.overdue',
  escalate: 'order.escalated',
};

/** webhookEventOf('approve_return') → 'order.dispatched'; null for events webhooks do not announce. */
export function webhookEventOf(type: string): WebhookEvent | null {
  return byType[type] ?? null;
}
