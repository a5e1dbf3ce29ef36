/** The order actions the UI knows, which fields each asks for, and how they are ordered on screen. */

export type ActionField =
  | 'leadUnit'
  | 'coUnits'
  | 'note'
  | 'noteRequired'
  | 'contactMethod'
  | 'text'
  | 'attachments'
  | 'resolution'
  | 'satisfaction'
  | 'reason'
  | 'days'
  | 'daysOptional'
  | 'planDate'
  | 'intoOrder';

export type ActionSpec = { fields: ActionField[]; tone?: 'primary' | 'danger' | 'default'; confirm?: boolean };

export const actionSpecs: Record<string, ActionSpec> = {
  dispatch: { fields: ['leadUnit', 'coUnits', 'note'], tone: 'primary' },
  sign: { fields: [], tone: 'primary', confirm: true },
  respond: { fields: ['contactMethod', 'noteRequired'], tone: 'primary' },
  start_handling: { fields: [], tone: 'primary', confirm: true },
  reply: { fields: ['text', 'attachments'], tone: 'primary' },
  follow_up: { fields: ['resolution', 'satisfaction', 'note'], tone: 'primary' },
  close: { fields: ['note'], tone: 'primary' },
  reopen: { fields: ['reason'] },
  return: { fields: ['reason', 'attachments'], tone: 'danger' },
  approve_return: { fields: ['leadUnit', 'coUnits'], tone: 'primary' },
  reject_return: { fields: ['reason'], tone: 'danger' },
  request_extension: { fields: ['days', 'reason'] },
  approve_extension: { fields: ['daysOptional'], tone: 'primary' },
  refuse_extension: { fields: ['reason'], tone: 'danger' },
  urge: { fields: ['noteRequired'] },
  supervise: { fields: ['noteRequired'] },
  escalate: { fields: ['noteRequired'], tone: 'danger' },
  park: { fields: ['planDate', 'reason'] },
  unpark: { fields: [], confirm: true },
  merge: { fields: ['intoOrder'] },
  terminate: { fields: ['reason'], tone: 'danger' },
  mark_invalid: { fields: ['reason'], tone: 'danger' },
  comment: { fields: ['text'] },
};

/** The next step of the normal flow comes first; side paths after; the rarely used ones under "more". */
export const actionOrder = [
  'sign',
  'respond',
  'start_handling',
  'reply',
  'dispatch',
  'approve_return',
  'reject_return',
  'approve_extension',
  'refuse_extension',
  'follow_up',
  'close',
  'request_extension',
  'return',
  'urge',
  'supervise',
  'escalate',
  'reopen',
  'park',
  'unpark',
  'merge',
  'terminate',
  'mark_invalid',
  'comment',
];

/** How many buttons to show before "more". */
export const visibleActions = 4;

/** Form values → the transition payload the API expects. */
export function payloadOf(action: string, v: Record<string, unknown>): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  const str = (k: string) => (typeof v[k] === 'string' && (v[k] as string).trim() ? (v[k] as string).trim() : undefined);
  switch (action) {
    case 'dispatch':
    case 'approve_return':
      p.leadUnitCode = v.leadUnit;
      if (Array.isArray(v.coUnits) && v.coUnits.length) p.coUnitCodes = v.coUnits;
      if (str('note')) p.note = str('note');
      break;
    case 'respond':
      p.contactMethod = v.contactMethod;
      p.note = str('note') ?? '';
      break;
    case 'reply':
      p.text = str('text') ?? '';
      if (Array.isArray(v.attachments) && v.attachments.length) p.attachmentIds = v.attachments;
      break;
    case 'follow_up':
      p.resolution = v.resolution;
      p.satisfaction = v.satisfaction;
      if (str('note')) p.note = str('note');
      break;
    case 'close':
      if (str('note')) p.note = str('note');
      break;
    case 'return':
      p.reason = str('reason') ?? '';
      if (Array.isArray(v.attachments) && v.attachments.length) p.attachmentIds = v.attachments;
      break;
    case 'request_extension':
      p.days = v.days;
      p.reason = str('reason') ?? '';
      break;
    case 'approve_extension':
      if (typeof v.days === 'number') p.days = v.days;
      break;
    case 'urge':
    case 'supervise':
    case 'escalate':
      p.note = str('note') ?? '';
      break;
    case 'park':
      p.planDate = v.planDate;
      p.reason = str('reason') ?? '';
      break;
    case 'merge':
      p.intoOrderId = v.intoOrder;
      break;
    case 'comment':
      p.text = str('text') ?? '';
      break;
    default:
      if (str('reason')) p.reason = str('reason');
  }
  return p;
}

/** API field names back to form field names, to put a server's field error next to its input. */
export const formFieldOf: Record<string, string> = {
  leadUnitCode: 'leadUnit',
  coUnitCodes: 'coUnits',
  attachmentIds: 'attachments',
  intoOrderId: 'intoOrder',
};
