/**
 * 吹哨报到 in the unit workbench: a street blows a whistle over its orders and summons departments and companies to
 * a place; each summoned unit reports in (on time or late) and records its part; the street closes the whistle
 * with the outcome and the orders it resolved. Talks to `/whistles`.
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Checkbox, Drawer, Form, Input, InputNumber, Modal, Radio, Segmented, Select, Table, Tag, Timeline, type TableColumnsType } from 'antd';
import { NotificationOutlined, ReloadOutlined } from '@ant-design/icons';
import { api, ApiError, errorText } from '../api/client';
import { useApi, useIsPhone, useNow } from '../api/hooks';
import { useOrderEvents } from '../api/events';
import type { OrderSummary, Ref } from '../api/types';
import { useMe } from '../auth/session';
import { formatSpan, formatTime, useT } from '../i18n';
import type { MessageKey } from '../i18n/zh';
import { LoadState } from '../shell/States';
import { UnitSelect } from '../places/UnitSelect';

export type WhistleKind = 'routine' | 'hard' | 'emergency';
type ReportStatus = 'on_time' | 'late' | 'missing' | 'waiting';
type WhistleSummary = {
  id: string;
  no: string;
  kind: WhistleKind;
  state: 'open' | 'closed';
  street: Ref;
  reason: string;
  place: string;
  meetAt: string;
  reportDueAt: string;
  blownAt: string;
  closedAt: string | null;
  reportIns: { summoned: number; onTime: number; late: number; missing: number; waiting: number };
  orderCount: number;
};
type WhistleDetail = Omit<WhistleSummary, 'reportIns' | 'orderCount'> & {
  version: number;
  blownBy: string | null;
  summoned: { unit: Ref; level: string; status: ReportStatus; reportedAt: string | null; reportedBy: string | null; minutesLate: number | null; note: string | null }[];
  orders: { id: string; no: string; title: string; state: string; closedByWhistle: boolean }[];
  parts: { unit: Ref; at: string; by: string | null; text: string }[];
  outcome: string | null;
  closedBy: string | null;
  history: { id: number; at: string; type: string; actor: { name: string | null }; unit: Ref | null; data: Record<string, unknown> }[];
  allowedActions: ('report_in' | 'record_part' | 'close')[];
};

const kinds: WhistleKind[] = ['routine', 'hard', 'emergency'];
const kindColour: Record<WhistleKind, string> = { routine: 'blue', hard: 'orange', emergency: 'red' };
const statusColour: Record<ReportStatus, string> = { on_time: 'success', late: 'warning', missing: 'error', waiting: 'default' };
/** The policy's default report-in deadline per kind (src/domain/whistle), shown as a hint. */
const defaultMinutes: Record<WhistleKind, number> = { emergency: 30, hard: 60, routine: 24 * 60 };

export function KindTag({ kind }: { kind: WhistleKind }) {
  const { t } = useT();
  return <Tag color={kindColour[kind]}>{t(`whistle.kind.${kind}`)}</Tag>;
}

function ReportTag({ s }: { s: WhistleDetail['summoned'][number] }) {
  const { t } = useT();
  return (
    <Tag color={statusColour[s.status]}>
      {t(`whistle.status.${s.status}`)}
      {s.status === 'late' && s.minutesLate ? ` ${t('whistle.minutesLate', { n: s.minutesLate })}` : ''}
    </Tag>
  );
}

/** A `datetime-local` value for an instant, in the browser's zone (Beijing for the platform's users). */
function localInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

type BlowValues = { kind: WhistleKind; reason: string; place: string; meetAt: string; summoned: string[]; orderIds?: string[]; minutes?: number };

export function BlowModal({ orders, initialOrderId, onClose, onBlown }: { orders: OrderSummary[]; initialOrderId?: string | undefined; onClose: () => void; onBlown: (w: WhistleDetail) => void }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<BlowValues>();
  const kind = Form.useWatch('kind', form) ?? 'hard';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    let v: BlowValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const meetAt = new Date(v.meetAt);
    setBusy(true);
    setError(null);
    try {
      const w = await api<WhistleDetail>('/whistles', {
        method: 'POST',
        body: {
          kind: v.kind,
          reason: v.reason.trim(),
          place: v.place.trim(),
          meetAt: meetAt.toISOString(),
          summoned: v.summoned,
          ...(v.orderIds?.length ? { orderIds: v.orderIds } : {}),
          ...(v.minutes ? { reportDeadlineMinutes: v.minutes } : {}),
        },
      });
      message.success(t('whistle.blown', { no: w.no }));
      onBlown(w);
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        const map: Record<string, keyof BlowValues> = { reportDeadlineMinutes: 'minutes' };
        form.setFields(err.fields.map((f) => ({ name: map[f.field] ?? (f.field.replace(/\[\d+\]$/, '') as keyof BlowValues), errors: [f.reason] })));
      }
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('whistle.blow')}
      onCancel={onClose}
      destroyOnHidden
      width={640}
      footer={[
        <Button key="c" onClick={onClose}>
          {t('btn.cancel')}
        </Button>,
        <Button key="ok" type="primary" danger loading={busy} icon={<NotificationOutlined />} onClick={() => void submit()}>
          {t('whistle.blowNow')}
        </Button>,
      ]}
    >
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12 }} />}
      <Form<BlowValues> form={form} layout="vertical" initialValues={{ kind: 'hard', meetAt: localInput(new Date(Date.now() + 30 * 60_000)), orderIds: initialOrderId ? [initialOrderId] : [] }}>
        <Form.Item name="kind" label={t('whistle.kindLabel')} extra={t(`whistle.kindHint.${kind}`)}>
          <Radio.Group optionType="button" buttonStyle="solid" options={kinds.map((k) => ({ value: k, label: t(`whistle.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="reason" label={t('whistle.reason')} rules={[{ required: true, whitespace: true, message: t('whistle.reasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t('whistle.reasonPlaceholder')} />
        </Form.Item>
        <div className="form-row">
          <Form.Item name="place" label={t('whistle.place')} rules={[{ required: true, whitespace: true, message: t('whistle.placeRequired') }]} className="grow-2">
            <Input maxLength={200} placeholder={t('whistle.placePlaceholder')} />
          </Form.Item>
          <Form.Item name="meetAt" label={t('whistle.meetAt')} rules={[{ required: true, message: t('whistle.meetAtRequired') }]} className="grow">
            <Input type="datetime-local" />
          </Form.Item>
        </div>
        <Form.Item name="summoned" label={t('whistle.summoned')} rules={[{ required: true, type: 'array', min: 1, message: t('whistle.summonedRequired') }]} extra={t('whistle.summonedHint')}>
          <UnitSelect multiple levels={['department', 'company']} placeholder={t('whistle.summonedPlaceholder')} />
        </Form.Item>
        <div className="form-row">
          <Form.Item name="orderIds" label={t('whistle.orders')} className="grow-2">
            <Select
              mode="multiple"
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('whistle.ordersPlaceholder')}
              options={orders.map((o) => ({ value: o.id, label: `${o.no} ${o.title}` }))}
              notFoundContent={t('whistle.noOrders')}
            />
          </Form.Item>
          <Form.Item name="minutes" label={t('whistle.deadline')} className="grow" extra={t('whistle.deadlineHint', { n: defaultMinutes[kind] })}>
            <InputNumber min={1} max={7 * 24 * 60} suffix={t('whistle.minutes')} style={{ width: '100%' }} />
          </Form.Item>
        </div>
      </Form>
    </Modal>
  );
}

function ActionBox({ w, onChanged }: { w: WhistleDetail; onChanged: (w: WhistleDetail) => void }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [mode, setMode] = useState<'report_in' | 'record_part' | 'close'>(w.allowedActions[0] ?? 'record_part');
  const [text, setText] = useState('');
  const [closed, setClosed] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!w.allowedActions.includes(mode) && w.allowedActions[0]) setMode(w.allowedActions[0]);
  }, [w.allowedActions, mode]);
  if (w.allowedActions.length === 0) return null;
  const needsText = mode !== 'report_in';
  const submit = async () => {
    if (needsText && !text.trim()) {
      setError(t(mode === 'close' ? 'whistle.outcomeRequired' : 'whistle.partRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const path = mode === 'report_in' ? 'report-in' : mode === 'record_part' ? 'parts' : 'close';
      const body = mode === 'report_in' ? (text.trim() ? { note: text.trim() } : {}) : mode === 'record_part' ? { text: text.trim() } : { outcome: text.trim(), closedOrderIds: closed };
      const next = await api<WhistleDetail>(`/whistles/${w.id}/${path}`, { method: 'POST', body });
      message.success(t(`whistle.done.${mode}`));
      setText('');
      onChanged(next);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const label = (a: string) => t(`whistle.act.${a}` as MessageKey);
  return (
    <section className="check-box" aria-labelledby="whistle-act">
      <h4 id="whistle-act">{t('whistle.actHeading')}</h4>
      {w.allowedActions.length > 1 && <Segmented value={mode} onChange={(v) => setMode(v as typeof mode)} options={w.allowedActions.map((a) => ({ value: a, label: label(a) }))} style={{ marginBottom: 8 }} />}
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 8 }} />}
      <Input.TextArea
        aria-label={mode === 'report_in' ? t('whistle.noteOptional') : mode === 'close' ? t('whistle.outcome') : t('whistle.part')}
        rows={3}
        maxLength={mode === 'close' ? 5000 : 2000}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={mode === 'report_in' ? t('whistle.noteOptional') : mode === 'close' ? t('whistle.outcomePlaceholder') : t('whistle.partPlaceholder')}
      />
      {mode === 'close' && w.orders.length > 0 && (
        <div className="whistle-close-orders">
          <div className="muted small">{t('whistle.closedOrders')}</div>
          <Checkbox.Group value={closed} onChange={(v) => setClosed(v)} options={w.orders.map((o) => ({ value: o.id, label: `${o.no} ${o.title}` }))} />
        </div>
      )}
      <Button type="primary" block style={{ marginTop: 8 }} loading={busy} onClick={() => void submit()}>
        {label(mode)}
      </Button>
    </section>
  );
}

function WhistleDrawer({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const { t, lang } = useT();
  const phone = useIsPhone();
  const now = useNow(30_000);
  const detail = useApi<WhistleDetail>(id ? `/whistles/${id}` : null);
  const w = detail.data;
  const left = w ? Date.parse(w.reportDueAt) - now : 0;
  const columns: TableColumnsType<WhistleDetail['summoned'][number]> = [
    { title: t('whistle.unit'), key: 'unit', render: (_: unknown, s) => s.unit.name },
    { title: t('whistle.reportIn'), key: 'status', width: 150, render: (_: unknown, s) => <ReportTag s={s} /> },
    { title: t('whistle.reportedAt'), key: 'at', width: 150, render: (_: unknown, s) => (s.reportedAt ? formatTime(s.reportedAt, lang) : '—') },
  ];
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={phone ? '100%' : 640}
      destroyOnHidden
      title={w ? <span className="drawer-title"><span className="order-no">{w.no}</span> <KindTag kind={w.kind} /> {w.state === 'closed' && <Tag>{t('whistle.closed')}</Tag>}</span> : t('whistle.detail')}
      extra={<Button type="text" icon={<ReloadOutlined />} aria-label={t('btn.refresh')} onClick={detail.reload} />}
    >
      <LoadState loading={detail.loading} error={detail.error} hasData={w !== undefined} onRetry={detail.reload}>
        {w && (
          <div className="order-detail">
            <p className="order-body">{w.reason}</p>
            <dl className="whistle-facts">
              <dt>{t('whistle.street')}</dt>
              <dd>{w.street.name}</dd>
              <dt>{t('whistle.place')}</dt>
              <dd>{w.place}</dd>
              <dt>{t('whistle.meetAt')}</dt>
              <dd>{formatTime(w.meetAt, lang, true)}</dd>
              <dt>{t('whistle.reportDue')}</dt>
              <dd>
                {formatTime(w.reportDueAt, lang, true)}{' '}
                {w.state === 'open' && (left >= 0 ? <Tag>{t('clock.left', { time: formatSpan(left, lang) })}</Tag> : <Tag color="error">{t('whistle.pastDue')}</Tag>)}
              </dd>
            </dl>
            <ActionBox
              w={w}
              onChanged={(next) => {
                detail.setData(() => next);
                onChanged();
              }}
            />
            <h3 className="section-title">{t('whistle.summoned')}</h3>
            <Table size="small" rowKey={(s) => s.unit.code} columns={columns} dataSource={w.summoned} pagination={false} scroll={{ x: 420 }} />
            {w.orders.length > 0 && (
              <>
                <h3 className="section-title">{t('whistle.orders')}</h3>
                <ul className="plain">
                  {w.orders.map((o) => (
                    <li key={o.id}>
                      <span className="order-no">{o.no}</span> {o.title} {o.closedByWhistle && <Tag color="success">{t('whistle.resolved')}</Tag>}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {w.parts.length > 0 && (
              <>
                <h3 className="section-title">{t('whistle.parts')}</h3>
                <Timeline items={w.parts.map((p, i) => ({ key: i, content: <div className="history-item"><b>{p.unit.name}</b> <span className="muted">{formatTime(p.at, lang, true)}</span><div className="history-text">{p.text}</div></div> }))} />
              </>
            )}
            {w.outcome && (
              <section className="reply-box" aria-label={t('whistle.outcome')}>
                <h4>
                  {t('whistle.outcome')} <span className="muted">{formatTime(w.closedAt, lang, true)}</span>
                </h4>
                <p>{w.outcome}</p>
              </section>
            )}
          </div>
        )}
      </LoadState>
    </Drawer>
  );
}

/** The whistles my unit blew or was summoned to, with the report-in clock; a street may blow a new one. */
export function WhistlePanel({ orders }: { orders: OrderSummary[] }) {
  const { t, lang } = useT();
  const me = useMe();
  const [state, setState] = useState<'open' | 'closed'>('open');
  const [openId, setOpenId] = useState<string | null>(null);
  const [blowing, setBlowing] = useState(false);
  const list = useApi<{ items: WhistleSummary[]; nextCursor: string | null }>(`/whistles?state=${state}&limit=50`);
  useOrderEvents(() => list.reload(), 2000);
  const canBlow = me.unitLevel === 'street';
  const items = list.data?.items ?? [];
  return (
    <div className="whistle-panel">
      <div className="toolbar">
        <Segmented
          aria-label={t('whistle.filter')}
          value={state}
          onChange={(v) => setState(v as 'open' | 'closed')}
          options={[
            { value: 'open', label: t('whistle.open') },
            { value: 'closed', label: t('whistle.closed') },
          ]}
        />
        <div className="spacer" />
        {canBlow && (
          <Button type="primary" danger icon={<NotificationOutlined />} onClick={() => setBlowing(true)}>
            {t('whistle.blow')}
          </Button>
        )}
      </div>
      <LoadState
        loading={list.loading}
        error={list.error}
        onRetry={list.reload}
        hasData={list.data !== undefined}
        empty={list.data !== undefined && items.length === 0}
        emptyText={state === 'open' ? (canBlow ? t('whistle.emptyStreet') : t('whistle.emptySummoned')) : t('whistle.emptyClosed')}
      >
        <ul className="order-cards" aria-label={t('whistle.list')}>
          {items.map((w) => (
            <li key={w.id}>
              <button type="button" className="order-card" onClick={() => setOpenId(w.id)} aria-label={`${w.no} ${w.reason}`}>
                <div className="order-card-top">
                  <span className="order-no">{w.no}</span>
                  <KindTag kind={w.kind} />
                  <span className="muted small">{w.street.name}</span>
                  <span className="spacer" />
                  {w.state === 'open' && w.reportIns.waiting > 0 && <Tag color={Date.parse(w.reportDueAt) < Date.now() ? 'error' : 'warning'}>{t('whistle.waiting', { n: w.reportIns.waiting })}</Tag>}
                </div>
                <div className="order-card-title">{w.reason}</div>
                <div className="order-card-meta">
                  <span>{w.place}</span>
                  <span>
                    {t('whistle.meetAt')} {formatTime(w.meetAt, lang)}
                  </span>
                  <span>{t('whistle.reportSummary', { done: w.reportIns.onTime + w.reportIns.late, all: w.reportIns.summoned })}</span>
                  {w.reportIns.late > 0 && <span className="warn-text">{t('whistle.lateCount', { n: w.reportIns.late })}</span>}
                  {w.reportIns.missing > 0 && <span className="danger-text">{t('whistle.missingCount', { n: w.reportIns.missing })}</span>}
                  {w.orderCount > 0 && <span>{t('whistle.orderCount', { n: w.orderCount })}</span>}
                </div>
              </button>
            </li>
          ))}
        </ul>
      </LoadState>
      <WhistleDrawer id={openId} onClose={() => setOpenId(null)} onChanged={list.reload} />
      {blowing && (
        <BlowModal
          orders={orders}
          onClose={() => setBlowing(false)}
          onBlown={(w) => {
            setState('open');
            list.reload();
            setOpenId(w.id);
          }}
        />
      )}
    </div>
  );
}
