/** 派单中心: review what the machine was unsure of, returned orders, extension requests, overdue and due-soon lists. */
import { useState, type Key } from 'react';
import { Alert, App, Button, Form, Input, Modal, Progress, Space, Tabs } from 'antd';
import { SearchOutlined, SendOutlined, BellOutlined } from '@ant-design/icons';
import { ApiError, errorText } from '../../api/client';
import type { OrderState, OrderSummary } from '../../api/types';
import { useDebounced } from '../../api/hooks';
import { useMe } from '../../auth/session';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/zh';
import { transition } from '../../orders/ActionModal';
import { OrderDrawer } from '../../orders/OrderDrawer';
import { CountBadge } from '../../orders/OrderBits';
import { OrderList } from '../../orders/OrderList';
import { useOrderCounts, useOrders, type OrderQuery } from '../../orders/useOrders';
import { UnitSelect } from '../../places/UnitSelect';

type TabId = 'review' | 'returned' | 'extension' | 'overdue' | 'dueSoon';

const tabs: { id: TabId; query: OrderQuery; empty: MessageKey; tone: 'primary' | 'danger' | 'warning' }[] = [
  { id: 'review', query: { state: 'accepted,pending_review' }, empty: 'dispatch.reviewEmpty', tone: 'primary' },
  { id: 'returned', query: { state: 'returned' }, empty: 'dispatch.returnedEmpty', tone: 'primary' },
  { id: 'extension', query: { extension: 'pending' }, empty: 'dispatch.extensionEmpty', tone: 'primary' },
  { id: 'overdue', query: { overdue: true }, empty: 'dispatch.overdueEmpty', tone: 'danger' },
  { id: 'dueSoon', query: { dueWithinHours: 24 }, empty: 'dispatch.dueSoonEmpty', tone: 'warning' },
];
const tabOf = (id: TabId) => tabs.find((x) => x.id === id) ?? tabs[0]!;

type Bulk = { action: 'dispatch' | 'urge'; orders: OrderSummary[] };

/** States in which the unit holds the order, so it can be urged. */
const withUnit: readonly OrderState[] = ['dispatched', 'signed', 'responded', 'in_progress', 'parked'];

function BulkModal({ bulk, onClose, onDone }: { bulk: Bulk; onClose: () => void; onDone: () => void }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ leadUnit?: string; coUnits?: string[]; note?: string }>();
  const [progress, setProgress] = useState<{ done: number; failed: { no: string; why: string }[] } | null>(null);
  const running = progress !== null && progress.done < bulk.orders.length;

  const run = async () => {
    let v: { leadUnit?: string; coUnits?: string[]; note?: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const payload =
      bulk.action === 'dispatch'
        ? { leadUnitCode: v.leadUnit, ...(v.coUnits?.length ? { coUnitCodes: v.coUnits } : {}), ...(v.note?.trim() ? { note: v.note.trim() } : {}) }
        : { note: v.note?.trim() ?? '' };
    const failed: { no: string; why: string }[] = [];
    setProgress({ done: 0, failed });
    for (let i = 0; i < bulk.orders.length; i++) {
      const o = bulk.orders[i]!;
      try {
        await transition(o, bulk.action, payload);
      } catch (err) {
        failed.push({ no: o.no, why: err instanceof ApiError && err.versionConflict ? t('order.conflictShort') : errorText(err) });
      }
      setProgress({ done: i + 1, failed: [...failed] });
    }
    const ok = bulk.orders.length - failed.length;
    if (failed.length === 0) {
      message.success(t('dispatch.bulkDone', { n: ok }));
      onDone();
      onClose();
    } else {
      message.warning(t('dispatch.bulkPartial', { ok, failed: failed.length }));
      onDone();
    }
  };

  const label = bulk.action === 'dispatch' ? t('dispatch.bulkDispatch') : t('dispatch.bulkUrge');
  return (
    <Modal
      open
      title={`${label}（${bulk.orders.length}）`}
      onCancel={running ? undefined : onClose}
      closable={!running}
      maskClosable={false}
      footer={[
        <Button key="c" onClick={onClose} disabled={running}>
          {progress && !running ? t('btn.close') : t('btn.cancel')}
        </Button>,
        ...(progress && !running
          ? []
          : [
              <Button key="ok" type="primary" loading={running} onClick={() => void run()}>
                {label}
              </Button>,
            ]),
      ]}
    >
      <p className="muted">{bulk.orders.map((o) => o.no).join('、')}</p>
      <Form form={form} layout="vertical" disabled={running || (progress !== null && !running)}>
        {bulk.action === 'dispatch' && (
          <>
            <Form.Item name="leadUnit" label={t('act.field.leadUnit')} rules={[{ required: true, message: t('act.field.leadUnitRequired') }]}>
              <UnitSelect />
            </Form.Item>
            <Form.Item name="coUnits" label={t('act.field.coUnits')}>
              <UnitSelect multiple />
            </Form.Item>
          </>
        )}
        <Form.Item name="note" label={t('act.field.note')} rules={bulk.action === 'urge' ? [{ required: true, whitespace: true, message: t('act.field.noteRequired') }] : []}>
          <Input.TextArea rows={2} maxLength={500} placeholder={bulk.action === 'urge' ? t('dispatch.urgePlaceholder') : ''} />
        </Form.Item>
      </Form>
      {progress && (
        <div role="status" aria-live="polite">
          <Progress percent={Math.round((progress.done / bulk.orders.length) * 100)} status={progress.failed.length ? 'exception' : running ? 'active' : 'success'} />
          {progress.failed.length > 0 && (
            <Alert
              type="warning"
              showIcon
              title={t('dispatch.bulkFailedList')}
              description={
                <ul className="plain">
                  {progress.failed.map((f) => (
                    <li key={f.no}>
                      {f.no}：{f.why}
                    </li>
                  ))}
                </ul>
              }
            />
          )}
        </div>
      )}
    </Modal>
  );
}

export default function DispatchCentre() {
  const { t } = useT();
  const me = useMe();
  const [tab, setTab] = useState<TabId>('review');
  const [search, setSearch] = useState('');
  const query = useDebounced(search.trim(), 350);
  const [open, setOpen] = useState<{ id: string; action?: string } | null>(null);
  const [selected, setSelected] = useState<{ keys: Key[]; rows: OrderSummary[] }>({ keys: [], rows: [] });
  const [bulk, setBulk] = useState<Bulk | null>(null);
  const isDispatcher = me.role === 'dispatcher';

  const q = query || undefined;
  // Every tab's count from the server (live); only the open tab's list is loaded.
  const counts = {
    review: useOrderCounts({ ...tabs[0]!.query, q }),
    returned: useOrderCounts({ ...tabs[1]!.query, q }),
    extension: useOrderCounts({ ...tabs[2]!.query, q }),
    overdue: useOrderCounts({ ...tabs[3]!.query, q }),
    dueSoon: useOrderCounts({ ...tabs[4]!.query, q }),
  } satisfies Record<TabId, unknown>;
  const list = useOrders({ ...tabOf(tab).query, q });
  const reloadAll = list.reload;

  const bulkActions: Partial<Record<TabId, ('dispatch' | 'urge')[]>> = {
    review: isDispatcher ? ['dispatch'] : [],
    overdue: ['urge'],
    dueSoon: ['urge'],
  };
  const canSelect = (bulkActions[tab] ?? []).length > 0;

  const rowActions = (id: TabId) => {
    const act = (o: OrderSummary, action: string, label: MessageKey, primary = false, danger = false) => (
      <Button size="small" type={primary ? 'primary' : 'default'} danger={danger} onClick={() => setOpen({ id: o.id, action })}>
        {t(label)}
      </Button>
    );
    switch (id) {
      case 'review':
        return isDispatcher ? (o: OrderSummary) => act(o, 'dispatch', 'act.dispatch', true) : undefined;
      case 'returned':
        return isDispatcher
          ? (o: OrderSummary) => (
              <Space size={4}>
                {act(o, 'approve_return', 'dispatch.reassign', true)}
                {act(o, 'reject_return', 'act.reject_return', false, true)}
              </Space>
            )
          : undefined;
      case 'extension':
        return (o: OrderSummary) => (
          <Space size={4}>
            {act(o, 'approve_extension', 'act.approve_extension', true)}
            {act(o, 'refuse_extension', 'act.refuse_extension', false, true)}
          </Space>
        );
      case 'overdue':
      case 'dueSoon':
        return (o: OrderSummary) => (withUnit.includes(o.state) ? act(o, 'urge', 'act.urge') : null);
    }
  };

  return (
    <div className="dispatch-centre">
      <section className="panel">
        <div className="toolbar">
          <Input
            prefix={<SearchOutlined />}
            placeholder={t('dispatch.search')}
            aria-label={t('dispatch.search')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            allowClear
            className="toolbar-search"
          />
          <div className="spacer" />
          {canSelect && (
            <Space wrap>
              <span className="muted">{t('dispatch.selected', { n: selected.keys.length })}</span>
              {(bulkActions[tab] ?? []).map((a) => (
                <Button
                  key={a}
                  type={a === 'dispatch' ? 'primary' : 'default'}
                  icon={a === 'dispatch' ? <SendOutlined /> : <BellOutlined />}
                  disabled={selected.rows.length === 0}
                  onClick={() => setBulk({ action: a, orders: selected.rows })}
                >
                  {a === 'dispatch' ? t('dispatch.bulkDispatch') : t('dispatch.bulkUrge')}
                </Button>
              ))}
            </Space>
          )}
        </div>
        <Tabs
          activeKey={tab}
          onChange={(k) => {
            setTab(k as TabId);
            setSelected({ keys: [], rows: [] });
          }}
          items={tabs.map((x) => ({
            key: x.id,
            label: (
              <span>
                {t(`dispatch.tab.${x.id}`)} <CountBadge counts={x.id === tab ? (list.counts ?? counts[x.id]) : counts[x.id]} tone={x.tone} />
              </span>
            ),
            children:
              x.id === tab ? (
                <OrderList
                  orders={list.items}
                  loading={list.loading}
                  error={list.error}
                  onRetry={list.reload}
                  onOpen={(o) => setOpen({ id: o.id })}
                  emptyText={q ? t('dispatch.searchEmpty', { q }) : t(x.empty)}
                  hasMore={list.hasMore}
                  onMore={list.more}
                  rowActions={rowActions(x.id)}
                  exportQuery={{ ...tabOf(tab).query, q }}
                  {...(canSelect ? { selectedKeys: selected.keys, onSelect: (keys: Key[], rows: OrderSummary[]) => setSelected({ keys, rows }) } : {})}
                />
              ) : null,
          }))}
        />
      </section>
      <OrderDrawer orderId={open?.id ?? null} initialAction={open?.action ?? null} onClose={() => setOpen(null)} onChanged={reloadAll} />
      {bulk && (
        <BulkModal
          bulk={bulk}
          onClose={() => setBulk(null)}
          onDone={() => {
            setSelected({ keys: [], rows: [] });
            reloadAll();
          }}
        />
      )}
    </div>
  );
}
