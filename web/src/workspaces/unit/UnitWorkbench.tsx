/** 承办工作台: my unit's orders by step, most urgent first, with live countdowns; sign, contact, reply, ask, return. */
import { useMemo, useState } from 'react';
import { Button, Segmented, Tabs } from 'antd';
import { AlertOutlined, FieldTimeOutlined } from '@ant-design/icons';
import type { OrderCounts, OrderState, OrderSummary } from '../../api/types';
import { useIsPhone } from '../../api/hooks';
import { useMe } from '../../auth/session';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/zh';
import { CountBadge, currentDeadline } from '../../orders/OrderBits';
import { OrderDrawer } from '../../orders/OrderDrawer';
import { OrderList } from '../../orders/OrderList';
import { useOrderCounts, useOrders } from '../../orders/useOrders';
import { WhistlePanel } from '../../whistles/Whistles';
import TopicsTaskPanel from '../leader/TopicsTaskPanel';
import { topicsText } from '../leader/TopicsText';

type TabId = 'toSign' | 'toContact' | 'handling' | 'replied' | 'other' | 'closed' | 'whistles' | 'topics';

const groups: { id: Exclude<TabId, 'topics'>; states: OrderState[]; empty: MessageKey }[] = [
  { id: 'toSign', states: ['dispatched'], empty: 'unit.toSignEmpty' },
  { id: 'toContact', states: ['signed'], empty: 'unit.toContactEmpty' },
  { id: 'handling', states: ['responded', 'in_progress'], empty: 'unit.handlingEmpty' },
  { id: 'replied', states: ['replied', 'followed_up'], empty: 'unit.repliedEmpty' },
  { id: 'other', states: ['returned', 'parked'], empty: 'unit.otherEmpty' },
];
const openStates = groups.flatMap((g) => g.states).join(',');

function byUrgency(a: OrderSummary, b: OrderSummary): number {
  const da = currentDeadline(a).at;
  const db = currentDeadline(b).at;
  return (da ? Date.parse(da) : Infinity) - (db ? Date.parse(db) : Infinity);
}

/** A group's share of the counts per state (`byState` is null past the server's cap). */
function groupCounts(c: OrderCounts | undefined, states: OrderState[]): OrderCounts | undefined {
  if (!c?.byState) return c && { ...c, byState: null };
  const total = states.reduce((a, s) => a + (c.byState?.[s] ?? 0), 0);
  return { total, capped: false, byState: null, overdue: null };
}

const isLate = (o: OrderSummary) => o.overdue || o.clockStatus === 'warning' || o.onSiteCheck?.result === 'failed';

export default function UnitWorkbench() {
  const { t, lang } = useT();
  const me = useMe();
  const phone = useIsPhone();
  const [tab, setTab] = useState<TabId>('toSign');
  const [focus, setFocus] = useState<'all' | 'late'>('all');
  const [open, setOpen] = useState<{ id: string; action?: string } | null>(null);
  // Counts for the tabs and the summary come from the server; only the open tab's orders are loaded.
  const counts = useOrderCounts({ state: openStates });
  const dueSoon = useOrderCounts({ state: openStates, dueWithinHours: 24 });
  const group = groups.find((g) => g.id === tab);
  const list = useOrders(group ? { state: group.states.join(',') } : tab === 'closed' ? { state: 'closed' } : null, { limit: group ? 100 : 30 });
  // The orders a whistle may be blown over: the unit's open ones.
  const openOrders = useOrders(tab === 'whistles' ? { state: openStates } : null, { limit: 200 });
  const shown = useMemo(() => (group && list.items ? list.items.filter((o) => focus === 'all' || isLate(o)).sort(byUrgency) : list.items), [group, list.items, focus]);
  const overdue = counts?.overdue ?? 0;
  const warning = dueSoon?.byState ? Math.max(0, dueSoon.total - (dueSoon.overdue ?? 0)) : 0;

  const rowActions = (o: OrderSummary) =>
    o.state === 'dispatched' ? (
      <Button size="small" type="primary" onClick={() => setOpen({ id: o.id, action: 'sign' })}>
        {t('act.sign')}
      </Button>
    ) : o.state === 'signed' ? (
      <Button size="small" type="primary" ghost onClick={() => setOpen({ id: o.id, action: 'respond' })}>
        {t('unit.logContact')}
      </Button>
    ) : o.state === 'responded' || o.state === 'in_progress' ? (
      <Button size="small" onClick={() => setOpen({ id: o.id, action: 'reply' })}>
        {t('act.reply')}
      </Button>
    ) : null;

  const tabItems: { key: TabId; label: string; counts: OrderCounts | undefined; empty: MessageKey }[] = [
    ...groups.map((g) => ({ key: g.id, label: t(`unit.tab.${g.id}`), counts: groupCounts(counts, g.states), empty: g.empty })),
    { key: 'closed', label: t('unit.tab.closed'), counts: undefined, empty: 'unit.closedEmpty' },
    { key: 'whistles', label: t('unit.tab.whistles'), counts: undefined, empty: 'unit.closedEmpty' },
    { key: 'topics', label: topicsText(lang)('task.mine'), counts: undefined, empty: 'unit.closedEmpty' },
  ];
  const listFor = (x: (typeof tabItems)[number]) =>
    x.key === 'whistles' ? (
      <WhistlePanel orders={openOrders.items ?? []} />
    ) : x.key === 'topics' ? (
      <TopicsTaskPanel />
    ) : (
    <OrderList
      orders={shown}
      loading={list.loading}
      error={list.error}
      onRetry={list.reload}
      onOpen={(o) => setOpen({ id: o.id })}
      emptyText={focus === 'late' && x.key !== 'closed' ? t('unit.noLate') : t(x.empty)}
      hide={['leadUnit']}
      exportQuery={group ? { state: group.states.join(',') } : { state: 'closed' }}
      hasMore={list.hasMore}
      onMore={list.more}
      {...(x.key !== 'closed' ? { rowActions } : {})}
    />
  );

  return (
    <div className="unit-workbench">
      <div className="summary-strip" role="status" aria-live="polite">
        <div className="summary-unit">
          <b>{me.unitName ?? '—'}</b>
          <span className="muted">{t('unit.openCount', { n: counts ? (counts.capped ? `${counts.total}+` : counts.total) : '…' })}</span>
        </div>
        <div className={`summary-pill ${overdue ? 'danger' : ''}`}>
          <AlertOutlined aria-hidden="true" /> {t('unit.overdue')} <b>{overdue}</b>
        </div>
        <div className={`summary-pill ${warning ? 'warn' : ''}`}>
          <FieldTimeOutlined aria-hidden="true" /> {t('unit.warning')} <b>{warning}</b>
        </div>
        <div className="spacer" />
        <Segmented
          aria-label={t('unit.focus')}
          value={focus}
          onChange={(v) => setFocus(v as 'all' | 'late')}
          options={[
            { value: 'all', label: t('unit.focusAll') },
            { value: 'late', label: t('unit.focusLate') },
          ]}
        />
      </div>
      <section className="panel">
        {phone ? (
          // Six steps do not fit a phone's tab bar: a grid of the steps, each with its count, the list below.
          <>
            <div className="step-grid" role="tablist" aria-label={t('unit.steps')}>
              {tabItems.map((x) => (
                <button key={x.key} type="button" role="tab" id={`step-${x.key}`} aria-selected={x.key === tab} aria-controls="step-panel" className={`step-btn ${x.key === tab ? 'active' : ''}`} onClick={() => setTab(x.key)}>
                  <span>{x.label}</span> <CountBadge counts={x.counts} tone={x.key === 'toSign' ? 'danger' : 'primary'} />
                </button>
              ))}
            </div>
            <div id="step-panel" role="tabpanel" aria-labelledby={`step-${tab}`}>
              {listFor(tabItems.find((x) => x.key === tab) ?? tabItems[0]!)}
            </div>
          </>
        ) : (
          <Tabs
            activeKey={tab}
            onChange={(k) => setTab(k as TabId)}
            items={tabItems.map((x) => ({
              key: x.key,
              label: (
                <span>
                  {x.label} <CountBadge counts={x.counts} tone={x.key === 'toSign' ? 'danger' : 'primary'} />
                </span>
              ),
              children: x.key === tab ? listFor(x) : null,
            }))}
          />
        )}
      </section>
      <OrderDrawer orderId={open?.id ?? null} initialAction={open?.action ?? null} onClose={() => setOpen(null)} onChanged={() => list.reload()} />
    </div>
  );
}
