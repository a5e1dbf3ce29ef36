/** 承办工作台: my unit's orders by step, most urgent first, with live countdowns; sign, contact, reply, ask, return. */
import { useMemo, useState } from 'react';
import { Badge, Button, Segmented, Tabs } from 'antd';
import { AlertOutlined, FieldTimeOutlined } from '@ant-design/icons';
import type { OrderState, OrderSummary } from '../../api/types';
import { useIsPhone } from '../../api/hooks';
import { useMe } from '../../auth/session';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/zh';
import { currentDeadline } from '../../orders/OrderBits';
import { OrderDrawer } from '../../orders/OrderDrawer';
import { OrderList } from '../../orders/OrderList';
import { useOrders } from '../../orders/useOrders';

type TabId = 'toSign' | 'toContact' | 'handling' | 'replied' | 'other' | 'closed';

const groups: { id: TabId; states: OrderState[]; empty: MessageKey }[] = [
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

export default function UnitWorkbench() {
  const { t } = useT();
  const me = useMe();
  const phone = useIsPhone();
  const [tab, setTab] = useState<TabId>('toSign');
  const [focus, setFocus] = useState<'all' | 'late'>('all');
  const [open, setOpen] = useState<{ id: string; action?: string } | null>(null);
  const open$ = useOrders({ state: openStates }, { limit: 200 });
  const closed = useOrders(tab === 'closed' ? { state: 'closed' } : null, { limit: 30 });

  const grouped = useMemo(() => {
    const out = new Map<TabId, OrderSummary[]>();
    for (const g of groups) out.set(g.id, (open$.items ?? []).filter((o) => g.states.includes(o.state) && (focus === 'all' || o.overdue || o.clockStatus === 'warning')).sort(byUrgency));
    return out;
  }, [open$.items, focus]);
  const overdue = (open$.items ?? []).filter((o) => o.overdue).length;
  const warning = (open$.items ?? []).filter((o) => !o.overdue && o.clockStatus === 'warning').length;

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

  return (
    <div className="unit-workbench">
      <div className="summary-strip" role="status" aria-live="polite">
        <div className="summary-unit">
          <b>{me.unitName ?? '—'}</b>
          <span className="muted">{t('unit.openCount', { n: open$.items?.length ?? 0 })}</span>
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
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as TabId)}
          size={phone ? 'small' : 'middle'}
          items={[
            ...groups.map((g) => {
              const list = grouped.get(g.id) ?? [];
              return {
                key: g.id,
                label: (
                  <span>
                    {t(`unit.tab.${g.id}`)} <Badge count={list.length} showZero={false} color={list.some((o) => o.overdue) ? '#c62828' : '#1d4f91'} />
                  </span>
                ),
                children: (
                  <OrderList
                    orders={open$.items ? list : undefined}
                    loading={open$.loading}
                    error={open$.error}
                    onRetry={open$.reload}
                    onOpen={(o) => setOpen({ id: o.id })}
                    emptyText={focus === 'late' ? t('unit.noLate') : t(g.empty)}
                    hide={['leadUnit']}
                    rowActions={rowActions}
                  />
                ),
              };
            }),
            {
              key: 'closed',
              label: t('unit.tab.closed'),
              children: (
                <OrderList
                  orders={closed.items}
                  loading={closed.loading}
                  error={closed.error}
                  onRetry={closed.reload}
                  onOpen={(o) => setOpen({ id: o.id })}
                  emptyText={t('unit.closedEmpty')}
                  hide={['leadUnit']}
                  hasMore={closed.hasMore}
                  onMore={closed.more}
                />
              ),
            },
          ]}
        />
      </section>
      <OrderDrawer orderId={open?.id ?? null} initialAction={open?.action ?? null} onClose={() => setOpen(null)} onChanged={() => open$.reload()} />
    </div>
  );
}
