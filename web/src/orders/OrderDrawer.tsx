/** One order in full: what was asked, where, who handles it, its clocks, its history, and the actions allowed now. */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Dropdown, Space, Tag, Timeline, Typography } from 'antd';
import { EyeOutlined, MoreOutlined, PhoneOutlined, ReloadOutlined } from '@ant-design/icons';
import { api, errorText } from '../api/client';
import { useApi, useIsPhone } from '../api/hooks';
import { useOrderEvents } from '../api/events';
import type { Attachment, HistoryEvent, OrderDetail } from '../api/types';
import { useMe } from '../auth/session';
import { formatTime, useT } from '../i18n';
import type { MessageKey } from '../i18n/zh';
import { LoadState } from '../shell/States';
import { useUnitName } from '../places/useUnitName';
import { ActionModal } from './ActionModal';
import { actionOrder, actionSpecs, visibleActions } from './actions';
import { AttachmentView } from './AttachmentInput';
import { Deadline, StateTag, TypeTag, UrgencyTag } from './OrderBits';

type Props = {
  orderId: string | null;
  onClose: () => void;
  /** After an action changed the order (lists refresh). */
  onChanged?: (o: OrderDetail) => void;
  /** Limit the action buttons (a citizen rates, a grid worker checks). */
  only?: string[];
  /** Extra content under the header (e.g. a citizen's rating form). */
  extra?: (o: OrderDetail, reload: () => void) => React.ReactNode;
  /** Open this action's dialog as soon as the order is loaded (row buttons in lists). */
  initialAction?: string | null;
};

const dataKeys = ['note', 'reason', 'text', 'answer'] as const;
const clockOrder = ['sign', 'response', 'reply'];

/** Attachment ids an event carries (reply photos, return evidence, on-site check photos). */
function fileIdsOf(e: HistoryEvent): string[] {
  const d = e.data ?? {};
  return ['photos', 'attachments', 'evidence'].flatMap((k) => (Array.isArray(d[k]) ? (d[k] as unknown[]).filter((x): x is string => typeof x === 'string') : []));
}

/** The latest on-site check since the unit's latest reply (a reopen or a new reply makes older checks moot). */
export function latestCheck(history: HistoryEvent[]): HistoryEvent | null {
  let last: HistoryEvent | null = null;
  for (const e of history) {
    if (e.type === 'reply' || e.type === 'reopen') last = null;
    else if (e.type === 'verify_on_site') last = e;
  }
  return last;
}

/** The photos of the latest reply. */
function replyFiles(o: OrderDetail): Attachment[] {
  const reply = [...o.history].reverse().find((e) => e.type === 'reply');
  const ids = reply ? fileIdsOf(reply) : [];
  return o.attachments.filter((a) => ids.includes(a.id));
}

function CheckNotice({ order }: { order: OrderDetail }) {
  const { t, lang } = useT();
  const check = latestCheck(order.history);
  if (!check) return null;
  const failed = check.data?.result === 'failed';
  const note = typeof check.data?.note === 'string' ? check.data.note : '';
  const who = [check.actor?.name, check.actor?.unit].filter(Boolean).join(' · ');
  return (
    <Alert
      type={failed ? 'error' : 'success'}
      showIcon
      className="check-notice"
      role={failed ? 'alert' : 'status'}
      title={failed ? t('order.checkFailed') : t('order.checkPassed')}
      description={
        <span>
          {note && <span className="history-text">{note}</span>}
          <span className="muted small">
            {' '}
            {t('order.checkBy', { who: who || t('role.grid_worker'), time: formatTime(check.at, lang, true) })}
          </span>
          <AttachmentView items={order.attachments.filter((a) => fileIdsOf(check).includes(a.id))} />
        </span>
      }
    />
  );
}

function HistoryItem({ e, files }: { e: HistoryEvent; files: Attachment[] }) {
  const { t, lang } = useT();
  const key = `act.${e.type}` as MessageKey;
  const label = t(key) === key ? e.type : t(key);
  const data = e.data ?? {};
  const unit = (k: string) => {
    const v = data[k];
    return v && typeof v === 'object' && 'name' in v ? String((v as { name: unknown }).name) : null;
  };
  const code = (k: string) => (typeof data[k] === 'string' ? (data[k] as string) : null);
  const looked = useUnitName(unit('leadUnit') ?? unit('toUnit') ? null : (code('leadUnitCode') ?? code('leadUnitId') ?? code('toUnitCode') ?? code('toUnitId')));
  const lead = unit('leadUnit') ?? unit('toUnit') ?? looked;
  const method = typeof data.contactMethod === 'string' ? t(`contact.${data.contactMethod}` as MessageKey) : null;
  const resolution = typeof data.resolution === 'string' ? t(`resolution.${data.resolution}` as MessageKey) : null;
  const satisfaction = typeof data.satisfaction === 'string' ? t(`satisfaction.${data.satisfaction}` as MessageKey) : null;
  const check = e.type === 'verify_on_site' && (data.result === 'passed' || data.result === 'failed') ? data.result : null;
  const ids = fileIdsOf(e);
  const mine = files.filter((f) => ids.includes(f.id));
  return (
    <div className="history-item">
      <div className="history-head">
        <b>{label}</b>
        {e.to && e.from !== e.to && <StateTag state={e.to} />}
        <span className="muted">{formatTime(e.at, lang, true)}</span>
      </div>
      {e.actor && (
        <div className="muted">
          {e.actor.name}
          {e.actor.role ? ` · ${t(`role.${e.actor.role}`)}` : ''}
          {e.actor.unit ? ` · ${e.actor.unit}` : ''}
        </div>
      )}
      {lead && <div>→ {lead}</div>}
      {check && <Tag color={check === 'failed' ? 'error' : 'success'}>{t(check === 'failed' ? 'check.failed' : 'check.passed')}</Tag>}
      {e.type === 'alarm_cleared' && (
        <div>
          {data.auto === true && <Tag color="success">{t('act.alarmAuto')}</Tag>}
          {typeof data.alarmNo === 'string' && <span className="muted">{data.alarmNo}</span>}
        </div>
      )}
      {(method || resolution || satisfaction) && <div>{[method, resolution, satisfaction].filter(Boolean).join(' · ')}</div>}
      {typeof data.days === 'number' && <div>{t('order.days', { n: data.days })}</div>}
      {dataKeys.map((k) => (typeof data[k] === 'string' && data[k] ? <div key={k} className="history-text">{data[k] as string}</div> : null))}
      <AttachmentView items={mine} />
    </div>
  );
}

const eventColour = (e: HistoryEvent) =>
  e.type === 'return' || e.type === 'escalate' || (e.type === 'verify_on_site' && e.data?.result === 'failed')
    ? 'red'
    : e.type === 'close' || e.type === 'alarm_cleared' || (e.type === 'verify_on_site' && e.data?.result === 'passed')
      ? 'green'
      : 'blue';

export function OrderHistory({ history, attachments = [] }: { history: HistoryEvent[]; attachments?: Attachment[] }) {
  const { t } = useT();
  if (!history.length) return <p className="muted">{t('order.noHistory')}</p>;
  return <Timeline items={history.map((e) => ({ key: e.id, content: <HistoryItem e={e} files={attachments} />, color: eventColour(e) }))} />;
}

function ContactLine({ order }: { order: OrderDetail }) {
  const { t } = useT();
  const { message } = App.useApp();
  const me = useMe();
  const [full, setFull] = useState<{ name: string | null; phone: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setFull(null), [order.id]);
  if (!order.contact) return <span className="muted">—</span>;
  const c = full ?? order.contact;
  const canReveal = !full && ['handler', 'agent', 'dispatcher', 'supervisor'].includes(me.role);
  return (
    <Space wrap size={4}>
      <span>{c.name ?? '—'}</span>
      {full && c.phone ? (
        <a href={`tel:${c.phone}`}>
          <PhoneOutlined /> {c.phone}
        </a>
      ) : (
        <span>{c.phone ?? '—'}</span>
      )}
      {canReveal && (
        <Button
          size="small"
          icon={<EyeOutlined />}
          loading={busy}
          onClick={() => {
            setBusy(true);
            api<{ name: string | null; phone: string | null }>(`/orders/${order.id}/contact/reveal`, { method: 'POST' }).then(
              (r) => {
                setFull(r);
                setBusy(false);
              },
              (err: unknown) => {
                setBusy(false);
                message.error(errorText(err));
              },
            );
          }}
        >
          {t('order.revealPhone')}
        </Button>
      )}
      {canReveal && <span className="field-hint">{t('order.revealHint')}</span>}
    </Space>
  );
}

export function OrderDrawer({ orderId, onClose, onChanged, only, extra, initialAction }: Props) {
  const { t, lang } = useT();
  const phone = useIsPhone();
  const detail = useApi<OrderDetail>(orderId ? `/orders/${orderId}` : null);
  const [action, setAction] = useState<string | null>(null);
  const o = detail.data;
  const loadedId = o?.id;
  const loadedActions = o?.allowedActions;

  useEffect(() => {
    if (initialAction && loadedId === orderId && loadedActions?.includes(initialAction)) setAction(initialAction);
    // Only when a new order arrives with a requested action, not on every refresh.
  }, [loadedId, initialAction]);

  useOrderEvents((e) => {
    if (orderId && e.orderId === orderId) detail.reload();
  });

  const allowed = (o?.allowedActions ?? [])
    .filter((a) => a in actionSpecs && (!only || only.includes(a)))
    .sort((a, b) => actionOrder.indexOf(a) - actionOrder.indexOf(b));
  const shown = allowed.slice(0, visibleActions);
  const more = allowed.slice(visibleActions);
  const actLabel = (a: string) => t(`act.${a}` as MessageKey);

  const actions = o && allowed.length > 0 && (
    <div className="drawer-actions" role="toolbar" aria-label={t('order.actions')}>
      {shown.map((a, i) => (
        <Button key={a} type={i === 0 && actionSpecs[a]?.tone === 'primary' ? 'primary' : 'default'} danger={actionSpecs[a]?.tone === 'danger'} onClick={() => setAction(a)} data-action={a}>
          {actLabel(a)}
        </Button>
      ))}
      {more.length > 0 && (
        <Dropdown menu={{ items: more.map((a) => ({ key: a, label: actLabel(a), danger: actionSpecs[a]?.tone === 'danger' })), onClick: ({ key }) => setAction(key) }}>
          <Button icon={<MoreOutlined />}>{t('btn.more')}</Button>
        </Dropdown>
      )}
    </div>
  );

  return (
    <Drawer
      open={orderId !== null}
      onClose={onClose}
      size={phone ? '100%' : 680}
      title={
        o ? (
          <span className="drawer-title">
            <span className="order-no">{o.no}</span> <StateTag state={o.state} />
          </span>
        ) : (
          t('order.detail')
        )
      }
      extra={<Button type="text" icon={<ReloadOutlined />} aria-label={t('btn.refresh')} onClick={detail.reload} />}
      footer={actions || null}
      destroyOnHidden
    >
      <LoadState loading={detail.loading} error={detail.error} hasData={o !== undefined} onRetry={detail.reload}>
        {o && (
          <div className="order-detail">
            <Typography.Title level={4} className="order-detail-title">
              {o.title}
            </Typography.Title>
            <Space wrap size={[4, 4]} className="order-detail-tags">
              <TypeTag type={o.type} />
              <UrgencyTag urgency={o.urgency} />
              {o.category && <Tag>{o.category.name}</Tag>}
              {o.overdue && <Tag color="error">{t('order.overdue')}</Tag>}
              {o.extensionPending && <Tag color="warning">{t('order.extensionPending')}</Tag>}
              {o.reopenCount > 0 && <Tag color="warning">{t('order.reopened', { n: o.reopenCount })}</Tag>}
              {o.requesterCount > 1 && <Tag color="purple">{t('order.requesters', { n: o.requesterCount })}</Tag>}
            </Space>
            <p className="order-body">{o.body}</p>
            {/* Photos that came with a step are shown with it in the history; here only the request's own. */}
            <AttachmentView items={o.attachments.filter((a) => !o.history.some((e) => fileIdsOf(e).includes(a.id)))} />
            <CheckNotice order={o} />
            {extra?.(o, detail.reload)}
            <Descriptions column={1} size="small" bordered className="order-facts" layout={phone ? 'vertical' : 'horizontal'}>
              <Descriptions.Item label={t('order.place')}>
                {[o.district?.name, o.street?.name, o.community?.name].filter(Boolean).join(' · ')}
                {o.address ? <div className={o.district ? 'muted' : ''}>{o.address}</div> : !o.district && '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('order.leadUnit')}>{o.leadUnit?.name ?? <span className="muted">{t('order.notDispatched')}</span>}</Descriptions.Item>
              {o.coUnits.length > 0 && (
                <Descriptions.Item label={t('order.coUnits')}>
                  {o.coUnits.map((u) => (
                    <Tag key={u.code} color={u.signedAt ? 'success' : 'default'}>
                      {u.name}
                      {u.signedAt ? ` ✓` : ''}
                    </Tag>
                  ))}
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('order.contact')}>
                <ContactLine order={o} />
              </Descriptions.Item>
              <Descriptions.Item label={t('order.channel')}>
                {t(`channel.${o.channel}`)} · {t('order.acceptedAt')} {formatTime(o.acceptedAt, lang, true)}
              </Descriptions.Item>
              {o.clocks.length > 0 && (
                <Descriptions.Item label={t('order.clocks')}>
                  <div className="clocks">
                    {[...o.clocks].sort((a, b) => clockOrder.indexOf(a.kind) - clockOrder.indexOf(b.kind)).map((c) => (
                      <div key={c.kind} className="clock-row">
                        <span className="clock-kind">{t(`clock.${c.kind}`)}</span>
                        <Deadline dueAt={c.dueAt} status={c.status} compact />
                        <span className="muted">{formatTime(c.dueAt, lang, true)}</span>
                      </div>
                    ))}
                  </div>
                </Descriptions.Item>
              )}
            </Descriptions>
            {o.reply && (
              <section className="reply-box" aria-label={t('order.reply')}>
                <h4>
                  {t('order.reply')} <span className="muted">{formatTime(o.reply.at, lang, true)}</span>
                </h4>
                <p>{o.reply.text}</p>
                <AttachmentView items={o.reply.attachments ?? replyFiles(o)} />
              </section>
            )}
            {o.followUp && (
              <section className="followup-box" aria-label={t('order.followUp')}>
                <h4>{t('order.followUp')}</h4>
                <Space>
                  {o.followUp.resolution && (
                    <Tag color={o.followUp.resolution === 'resolved' ? 'success' : o.followUp.resolution === 'partly' ? 'warning' : 'error'}>{t(`resolution.${o.followUp.resolution}`)}</Tag>
                  )}
                  {o.followUp.satisfaction && (
                    <Tag color={o.followUp.satisfaction === 'satisfied' ? 'success' : o.followUp.satisfaction === 'unsatisfied' ? 'error' : 'default'}>{t(`satisfaction.${o.followUp.satisfaction}`)}</Tag>
                  )}
                  <span className="muted">{formatTime(o.followUp.at, lang, true)}</span>
                </Space>
              </section>
            )}
            <h3 className="section-title">{t('order.history')}</h3>
            <OrderHistory history={o.history} attachments={o.attachments} />
          </div>
        )}
      </LoadState>
      {o && (
        <ActionModal
          order={o}
          action={action}
          onClose={() => setAction(null)}
          onDone={(next) => {
            detail.setData(() => next);
            onChanged?.(next);
          }}
          onConflict={detail.reload}
        />
      )}
    </Drawer>
  );
}
