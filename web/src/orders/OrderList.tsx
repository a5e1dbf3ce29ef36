/** A list of orders: a table on a desk, cards on a phone. Opening one calls `onOpen`. */
import type { Key, ReactNode } from 'react';
import { Button, Table, type TableColumnsType } from 'antd';
import type { OrderSummary } from '../api/types';
import { useIsPhone } from '../api/hooks';
import { formatTime, useT } from '../i18n';
import { LoadState } from '../shell/States';
import { OnSiteCheckTag, OrderDeadline, placeOf, StateTag, TypeTag, UrgencyTag } from './OrderBits';
import { OrderCards } from './OrderCards';
import { ExportButton } from './ExportButton';
import type { OrderQuery } from './useOrders';

type Props = {
  orders: OrderSummary[] | undefined;
  loading: boolean;
  error: unknown;
  onOpen: (o: OrderSummary) => void;
  onRetry?: () => void;
  emptyText: ReactNode;
  emptyAction?: ReactNode;
  selectedKeys?: Key[];
  onSelect?: (keys: Key[], rows: OrderSummary[]) => void;
  hasMore?: boolean;
  onMore?: () => void;
  /** Columns to leave out where they say nothing (a unit's own orders need no lead-unit column). */
  hide?: ('leadUnit' | 'category' | 'place')[];
  /** Force cards (narrow side panels). */
  cards?: boolean;
  /** Quick buttons for a row (approve a return, sign). */
  rowActions?: (o: OrderSummary) => ReactNode;
  /** The filter the list shows: adds an export button (CSV/xlsx of the whole filtered list, not just this page). */
  exportQuery?: OrderQuery;
};

export function OrderList(props: Props) {
  const { orders, loading, error, onOpen, onRetry, emptyText, emptyAction, selectedKeys, onSelect, hasMore, onMore, hide = [], cards, rowActions, exportQuery } = props;
  const { t, lang } = useT();
  const phone = useIsPhone();
  const columns: TableColumnsType<OrderSummary> = [
    {
      title: t('order.no'),
      dataIndex: 'no',
      width: 170,
      render: (_: unknown, o) => (
        <div className="no-cell">
          <Button type="link" className="link-cell" onClick={() => onOpen(o)}>
            {o.no}
          </Button>
          <div className="muted small">{formatTime(o.acceptedAt, lang)}</div>
        </div>
      ),
    },
    {
      title: t('order.title'),
      dataIndex: 'title',
      render: (_: unknown, o) => (
        <div className="title-cell">
          <div className="title-line">
            <TypeTag type={o.type} />
            <UrgencyTag urgency={o.urgency} hideGeneral />
            <span className="title-text">{o.title}</span>
          </div>
          <div className="muted small meta-line">
            {[!hide.includes('category') && o.category?.name, !hide.includes('place') && placeOf(o) !== '—' && placeOf(o)].filter(Boolean).join(' · ')}
            {o.extensionPending && <span className="warn-text"> · {t('order.extensionPending')}</span>}
            {o.reopenCount > 0 && <span className="warn-text"> · {t('order.reopened', { n: o.reopenCount })}</span>}
          </div>
        </div>
      ),
    },
    ...(hide.includes('leadUnit') ? [] : [{ title: t('order.leadUnit'), key: 'lead', width: 160, ellipsis: true, render: (_: unknown, o: OrderSummary) => o.leadUnit?.name ?? <span className="muted">{t('order.notDispatched')}</span> }]),
    {
      title: t('order.state'),
      dataIndex: 'state',
      width: 110,
      render: (_: unknown, o) => (
        <div className="state-cell">
          <StateTag state={o.state} />
          <OnSiteCheckTag check={o.onSiteCheck} />
        </div>
      ),
    },
    { title: t('order.deadline'), key: 'deadline', width: 160, render: (_: unknown, o) => <OrderDeadline order={o} /> },
    ...(rowActions ? [{ title: t('order.actions'), key: 'actions', width: 180, render: (_: unknown, o: OrderSummary) => <div className="row-actions">{rowActions(o)}</div> }] : []),
  ];

  const more = hasMore && onMore && (
    <div className="list-more">
      <Button onClick={onMore} loading={loading}>
        {t('btn.more')}
      </Button>
    </div>
  );

  return (
    <LoadState
      loading={loading}
      error={error}
      hasData={orders !== undefined}
      empty={orders !== undefined && orders.length === 0}
      emptyText={emptyText}
      emptyAction={emptyAction}
      {...(onRetry ? { onRetry } : {})}
    >
      {orders && (phone || cards) ? (
        <>
          <OrderCards orders={orders} onOpen={onOpen} rowActions={rowActions} hideLeadUnit={hide.includes('leadUnit')} />
          {more}
        </>
      ) : (
        <>
          {exportQuery && (
            <div className="list-export">
              <ExportButton query={exportQuery} size="small" />
            </div>
          )}
          <Table<OrderSummary>
            size="middle"
            rowKey="id"
            columns={columns}
            dataSource={orders ?? []}
            pagination={false}
            loading={loading && orders !== undefined}
            rowClassName={(o) => (o.overdue ? 'row-overdue' : '')}
            onRow={(o) => ({ onDoubleClick: () => onOpen(o) })}
            {...(onSelect ? { rowSelection: { selectedRowKeys: selectedKeys ?? [], onChange: (keys: Key[], rows: OrderSummary[]) => onSelect(keys, rows) } } : {})}
            scroll={{ x: 820 }}
          />
          {more}
        </>
      )}
    </LoadState>
  );
}
