/** The API's resources as the web app reads them (see the server's OpenAPI at /docs). */

export type Role = 'citizen' | 'agent' | 'dispatcher' | 'handler' | 'grid_worker' | 'supervisor' | 'leader' | 'admin';
export const roles: readonly Role[] = ['citizen', 'agent', 'dispatcher', 'handler', 'grid_worker', 'supervisor', 'leader', 'admin'];

export type Me = {
  userId: string;
  username: string;
  displayName: string;
  kind: 'staff' | 'citizen';
  role: Role;
  unitId: string | null;
  unitName: string | null;
  unitLevel: UnitLevel | null;
  scopePath: string | null;
};

export type LoginResult = {
  token: string;
  expiresAt: string;
  user: { id: string; username: string; displayName: string; role: Role; kind: 'staff' | 'citizen'; unitId: string | null };
};

export type UnitLevel = 'city' | 'district' | 'street' | 'community' | 'grid' | 'department' | 'company' | 'centre';

export type Unit = {
  code: string;
  name: string;
  shortName: string;
  level: UnitLevel;
  kind: string | null;
  parent: string | null;
  path: string;
  lat: number | null;
  lng: number | null;
  children?: number;
};

export type Page<T> = { total: number; items: T[] };

export type Urgency = 'emergency' | 'utility' | 'general' | 'complex';
export const urgencies: readonly Urgency[] = ['emergency', 'utility', 'general', 'complex'];
export type Handling = 'territorial' | 'sectoral' | 'district';

export type Category = {
  code: string;
  parent: string | null;
  name: string;
  depth: number;
  handling: Handling;
  department: { level: 'city' | 'district'; abbr: string } | null;
  coUnits: { level: 'city' | 'district' | 'street'; abbr?: string }[];
  urgency: Urgency;
  keywords: string[];
  active: boolean;
  version: number;
};

export type AuditEntry = {
  id: number;
  at: string;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  detail: unknown;
  ip: string | null;
};

export type Ref = { code: string; name: string };

export type Proposal = {
  category: { code: string; name: string; confidence: number; alternatives: { code: string; name: string; confidence: number }[] } | null;
  location: { district: Ref | null; street: Ref | null; community: Ref | null; confidence: number; evidence: string[] };
  leadUnit: Ref | null;
  coUnits: Ref[];
  explanation: string[];
  repeats: { id: string; no: string; title: string; similarity: number; state: OrderState }[];
  knowledge: { id: string; title: string; answer: string; score: number }[];
};

export type RequestType = 'consultation' | 'help' | 'complaint' | 'report' | 'suggestion' | 'praise';
export const requestTypes: readonly RequestType[] = ['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise'];
/** Where a request came in (the server's `channels`). */
export type Channel = 'hotline' | 'web' | 'h5' | 'app' | 'api' | 'wechat' | 'grid' | 'sensor' | 'video' | 'open311' | 'proactive' | 'exchange';

export type NewRequest = {
  type: RequestType;
  title: string;
  body: string;
  channel: Channel;
  urgency?: Urgency;
  address?: string;
  lat?: number;
  lng?: number;
  districtCode?: string;
  streetCode?: string;
  communityCode?: string;
  categoryCode?: string;
  contact: { name: string; phone: string };
  attachmentIds?: string[];
  /** A unit of your choice, the catalogue's ('auto'), or the dispatch centre's review queue ('review'). */
  dispatch?: { leadUnitCode: string; coUnitCodes?: string[] } | 'auto' | 'review';
  answer?: { knowledgeId?: string; text: string };
};

export type OrderState =
  | 'accepted'
  | 'pending_review'
  | 'dispatched'
  | 'signed'
  | 'responded'
  | 'in_progress'
  | 'replied'
  | 'followed_up'
  | 'closed'
  | 'returned'
  | 'parked'
  | 'terminated'
  | 'invalid'
  | 'merged';
export const orderStates: readonly OrderState[] = [
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
];
export const finalStates: readonly OrderState[] = ['closed', 'terminated', 'invalid', 'merged'];

export type ClockStatus = 'running' | 'warning' | 'overdue' | 'paused' | 'met' | 'met_late';

export type OrderSummary = {
  id: string;
  no: string;
  state: OrderState;
  type: RequestType;
  title: string;
  category: Ref | null;
  urgency: Urgency;
  district: Ref | null;
  street: Ref | null;
  leadUnit: Ref | null;
  acceptedAt: string;
  dueAt: string | null;
  signDueAt: string | null;
  responseDueAt: string | null;
  overdue: boolean;
  /** null before there is a running clock (accepted, pending review). */
  clockStatus: ClockStatus | null;
  extensionPending: boolean;
  reopenCount: number;
  version: number;
  channel: Channel;
  /** In lists only: the latest on-site check (核查) since the unit's latest reply. */
  onSiteCheck?: OnSiteCheck | null;
};

export type OnSiteResult = 'passed' | 'failed';
export type OnSiteCheck = { result: OnSiteResult; at: string; note: string | null };

export type Attachment = { id: string; name: string; type: string; size: number; url: string };

export type HistoryEvent = {
  id: string | number;
  at: string;
  type: string;
  from: OrderState | null;
  to: OrderState | null;
  actor: { name: string | null; role: Role | null; unit: string | null } | null;
  data: Record<string, unknown> | null;
};

export type OrderDetail = OrderSummary & {
  body: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
  community: Ref | null;
  coUnits: (Ref & { signedAt: string | null })[];
  contact: { name: string | null; phone: string | null } | null;
  requesterCount: number;
  clocks: { kind: 'sign' | 'response' | 'reply'; startedAt: string; dueAt: string; status: ClockStatus; stoppedAt: string | null }[];
  history: HistoryEvent[];
  allowedActions: string[];
  attachments: Attachment[];
  reply: { text: string; at: string | null; attachments?: Attachment[] } | null;
  followUp: { resolution: Resolution | null; satisfaction: Satisfaction | null; at: string | null } | null;
};

/** What a list's filter matches (first page only): capped at 10,000, then `byState` and `overdue` are null. */
export type OrderCounts = { total: number; capped: boolean; byState: Partial<Record<OrderState, number>> | null; overdue: number | null };

export type OrderPage = { items: OrderSummary[]; nextCursor: string | null; counts: OrderCounts | null };

export type Resolution = 'resolved' | 'partly' | 'unresolved';
export type Satisfaction = 'satisfied' | 'basic' | 'unsatisfied' | 'no_answer';
export type ContactMethod = 'phone' | 'sms' | 'visit' | 'other';

export type OrderEvent = { orderId: string; no: string; state: OrderState; type: string; unitCodes: string[] };

export type Knowledge = { id: string; title: string; answer: string; category: string | null; version: number };

export type Whistle = {
  id: string;
  kind: 'routine' | 'hard' | 'emergency';
  reason: string;
  place: string;
  meetAt: string;
  summoned?: { code: string; name: string; reportedAt: string | null; late?: boolean }[];
};

export type StatsOverview = {
  totals: { accepted: number; open: number; overdue: number; closed: number };
  byDistrict: { code: string; name: string; accepted: number; overdue: number; responseRate: number | null; resolutionRate: number | null; satisfactionRate: number | null }[];
  byStreet: { code: string; name: string; district: string; lat?: number | null; lng?: number | null; accepted: number; overdue: number }[];
  trend: { date: string; accepted: number; closed: number }[];
  topCategories: { code: string; name: string; count: number }[];
};

export type UserRow = { id: string; username: string; displayName: string; role: Role; kind: 'staff' | 'citizen'; unitId: string | null; unitName: string | null; active: boolean; lockedUntil: string | null; lastLoginAt: string | null };

export type DurationUnit = 'minutes' | 'hours' | 'calendar_days' | 'working_days';
export const durationUnits: readonly DurationUnit[] = ['minutes', 'hours', 'calendar_days', 'working_days'];
export type Duration = { amount: number; unit: DurationUnit };
export type ClockKind = 'sign' | 'response' | 'reply';

/** `GET/PUT /policies/deadlines`: one per urgency; clocks in hours, calendar or working days. */
export type DeadlinePolicy = {
  code: string;
  name: string;
  urgency: Urgency;
  clocks: { sign?: Duration; response?: Duration; reply: Duration };
  warnBefore: Duration | { fraction: number };
  pauseStates: string[];
};
