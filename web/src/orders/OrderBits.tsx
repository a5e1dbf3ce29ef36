/** Small pieces every order list shows: state, urgency, type, and the live deadline countdown. */
import { Badge, Tag, Tooltip } from 'antd';
import { ClockCircleOutlined, PauseCircleOutlined, CheckCircleOutlined, WarningOutlined } from '@ant-design/icons';
import type { ClockStatus, OnSiteCheck, OrderCounts, OrderState, OrderSummary, RequestType, Urgency } from '../api/types';
import { finalStates } from '../api/types';
import { useNow } from '../api/hooks';
import { formatSpan, formatTime, useT } from '../i18n';

const stateColors: Record<OrderState, string> = {
  accepted: 'default',
  pending_review: 'gold',
  dispatched: 'blue',
  signed: 'cyan',
  responded: 'geekblue',
  in_progress: 'processing',
  replied: 'purple',
  followed_up: 'lime',
  closed: 'success',
  returned: 'volcano',
  parked: 'magenta',
  terminated: 'default',
  invalid: 'default',
  merged: 'default',
};

export function StateTag({ state }: { state: OrderState }) {
  const { t } = useT();
  return (
    <Tag color={stateColors[state]} className="state-tag">
      {t(`state.${state}`)}
    </Tag>
  );
}

const urgencyColors: Record<Urgency, string> = { emergency: 'red', utility: 'orange', general: 'default', complex: 'blue' };

export function UrgencyTag({ urgency, hideGeneral }: { urgency: Urgency; hideGeneral?: boolean }) {
  const { t } = useT();
  if (hideGeneral && urgency === 'general') return null;
  return <Tag color={urgencyColors[urgency]}>{t(`urgency.${urgency}`)}</Tag>;
}

export function TypeTag({ type }: { type: RequestType }) {
  const { t } = useT();
  return <Tag variant="outlined">{t(`type.${type}`)}</Tag>;
}

/** Which clock matters now: signing before it is signed, first contact before it is answered, then the reply. */
export function currentDeadline(o: Pick<OrderSummary, 'state' | 'dueAt' | 'signDueAt' | 'responseDueAt'>): { kind: 'sign' | 'response' | 'reply'; at: string | null } {
  if (o.state === 'dispatched' && o.signDueAt) return { kind: 'sign', at: o.signDueAt };
  if (o.state === 'signed' && o.responseDueAt) return { kind: 'response', at: o.responseDueAt };
  return { kind: 'reply', at: o.dueAt };
}

type DeadlineProps = { dueAt: string | null; status: ClockStatus | null; kind?: 'sign' | 'response' | 'reply'; overdue?: boolean; compact?: boolean };

/** `剩 2天3小时` (orange when warning), `超时 5小时` in red, `计时暂停`, `按时完成`. */
export function Deadline({ dueAt, status, kind, overdue, compact }: DeadlineProps) {
  const { t, lang } = useT();
  const now = useNow(30_000);
  if (status === 'met') return <Tag icon={<CheckCircleOutlined />} color="success">{t('clock.met')}</Tag>;
  if (status === 'met_late') return <Tag color="warning">{t('clock.metLate')}</Tag>;
  if (!dueAt) return <span className="muted">—</span>;
  const left = new Date(dueAt).getTime() - now;
  const label = kind ? t(`clock.${kind}`) : '';
  const tip = `${label}${t('clock.dueAt')} ${formatTime(dueAt, lang, true)}`;
  if (status === 'paused')
    return (
      <Tooltip title={tip}>
        <Tag icon={<PauseCircleOutlined />}>{t('clock.paused')}</Tag>
      </Tooltip>
    );
  const late = overdue || status === 'overdue' || left < 0;
  const warn = !late && (status === 'warning' || left < 4 * 3600_000);
  const text = late ? t('clock.overdueBy', { time: formatSpan(-left, lang) }) : t('clock.left', { time: formatSpan(left, lang) });
  return (
    <Tooltip title={tip}>
      <Tag
        color={late ? 'error' : warn ? 'warning' : 'default'}
        icon={late ? <WarningOutlined /> : <ClockCircleOutlined />}
        className={`deadline ${late ? 'deadline-late' : warn ? 'deadline-warn' : ''}`}
        aria-label={`${label} ${text}`}
      >
        {!compact && label ? `${label} ` : ''}
        {text}
      </Tag>
    </Tooltip>
  );
}

/** The countdown of an order's current clock; nothing for finished orders. */
export function OrderDeadline({ order, compact }: { order: OrderSummary; compact?: boolean }) {
  if (finalStates.includes(order.state)) return <span className="muted">—</span>;
  const d = currentDeadline(order);
  return <Deadline dueAt={d.at} status={order.clockStatus} kind={d.kind} overdue={order.overdue} {...(compact ? { compact } : {})} />;
}

export function placeOf(o: Pick<OrderSummary, 'district' | 'street'>): string {
  return [o.district?.name, o.street?.name].filter(Boolean).join(' · ') || '—';
}

/** A tab's count from the server: nothing while unknown or zero, `10,000+` past the server's cap. */
export function CountBadge({ counts, tone = 'primary' }: { counts: OrderCounts | undefined; tone?: 'primary' | 'danger' | 'warning' | 'purple' }) {
  if (!counts || counts.total === 0) return null;
  const color = { primary: '#1d4f91', danger: '#c62828', warning: '#ad4e00', purple: '#722ed1' }[tone];
  const text = counts.capped ? `${counts.total.toLocaleString('zh-CN')}+` : counts.total;
  return <Badge count={text} overflowCount={99999} color={color} className="count-badge" />;
}

/** 核查通过 / 核查未通过 from a grid worker's on-site check; nothing when there was none. */
export function OnSiteCheckTag({ check }: { check: OnSiteCheck | null | undefined }) {
  const { t, lang } = useT();
  if (!check) return null;
  const failed = check.result === 'failed';
  return (
    <Tooltip title={`${formatTime(check.at, lang, true)}${check.note ? ` · ${check.note}` : ''}`}>
      <Tag color={failed ? 'error' : 'success'} className="onsite-tag">
        {t(failed ? 'check.failed' : 'check.passed')}
      </Tag>
    </Tooltip>
  );
}
