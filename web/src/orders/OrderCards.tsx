/** Orders as cards, for phones and narrow panels (no table code, so a citizen's phone loads less). */
import type { ReactNode } from 'react';
import { Button, Tag } from 'antd';
import type { OrderState, OrderSummary } from '../api/types';
import { finalStates } from '../api/types';
import type { MessageKey } from '../i18n/zh';
import { formatTime, useT } from '../i18n';
import { LoadState } from '../shell/States';
import { currentDeadline, OnSiteCheckTag, OrderDeadline, placeOf, StateTag, UrgencyTag } from './OrderBits';

/** What a citizen sees instead of the internal state: fewer, plainer steps. */
const publicStage: Record<OrderState, { key: MessageKey; color: string }> = {
  accepted: { key: 'stage.accepted', color: 'blue' },
  pending_review: { key: 'stage.accepted', color: 'blue' },
  dispatched: { key: 'stage.dispatched', color: 'blue' },
  signed: { key: 'stage.handling', color: 'processing' },
  responded: { key: 'stage.handling', color: 'processing' },
  in_progress: { key: 'stage.handling', color: 'processing' },
  returned: { key: 'stage.handling', color: 'processing' },
  parked: { key: 'stage.handling', color: 'processing' },
  replied: { key: 'stage.replied', color: 'purple' },
  followed_up: { key: 'stage.closed', color: 'success' },
  closed: { key: 'stage.closed', color: 'success' },
  terminated: { key: 'stage.ended', color: 'default' },
  invalid: { key: 'stage.ended', color: 'default' },
  merged: { key: 'stage.merged', color: 'default' },
};

type CardsProps = { orders: OrderSummary[]; onOpen: (o: OrderSummary) => void; rowActions?: ((o: OrderSummary) => ReactNode) | undefined; publicView?: boolean | undefined; hideLeadUnit?: boolean | undefined };

export function OrderCards({ orders, onOpen, rowActions, publicView, hideLeadUnit }: CardsProps) {
  const { t, lang } = useT();
  return (
    <ul className="order-cards" aria-label={t('orders.list')}>
      {orders.map((o) => (
        <li key={o.id}>
          <button type="button" className={`order-card ${o.overdue ? 'is-overdue' : ''}`} onClick={() => onOpen(o)} aria-label={`${o.no} ${o.title}`}>
            <div className="order-card-top">
              <span className="order-no">{o.no}</span>
              {publicView ? <Tag color={publicStage[o.state].color}>{t(publicStage[o.state].key)}</Tag> : <StateTag state={o.state} />}
              {!publicView && <OnSiteCheckTag check={o.onSiteCheck} />}
              <span className="spacer" />
              {!finalStates.includes(o.state) && currentDeadline(o).at && <OrderDeadline order={o} compact />}
            </div>
            <div className="order-card-title">{o.title}</div>
            <div className="order-card-meta">
              <UrgencyTag urgency={o.urgency} hideGeneral />
              {o.category && <span>{o.category.name}</span>}
              {placeOf(o) !== '—' && <span>{placeOf(o)}</span>}
              {o.leadUnit && !hideLeadUnit && <span>→ {o.leadUnit.name}</span>}
              {o.extensionPending && <span className="warn-text">{t('order.extensionPending')}</span>}
              {o.reopenCount > 0 && <span className="warn-text">{t('order.reopened', { n: o.reopenCount })}</span>}
            </div>
            <div className="order-card-time muted">{formatTime(o.acceptedAt, lang)}</div>
          </button>
          {rowActions && <div className="order-card-actions">{rowActions(o)}</div>}
        </li>
      ))}
    </ul>
  );
}

type CardListProps = {
  orders: OrderSummary[] | undefined;
  loading: boolean;
  error: unknown;
  onOpen: (o: OrderSummary) => void;
  onRetry?: () => void;
  emptyText: ReactNode;
  emptyAction?: ReactNode;
  hasMore?: boolean;
  onMore?: () => void;
  publicView?: boolean;
};

export function OrderCardList({ orders, loading, error, onOpen, onRetry, emptyText, emptyAction, hasMore, onMore, publicView }: CardListProps) {
  const { t } = useT();
  return (
    <LoadState loading={loading} error={error} hasData={orders !== undefined} empty={orders !== undefined && orders.length === 0} emptyText={emptyText} emptyAction={emptyAction} {...(onRetry ? { onRetry } : {})}>
      {orders && <OrderCards orders={orders} onOpen={onOpen} publicView={publicView} />}
      {hasMore && onMore && (
        <div className="list-more">
          <Button onClick={onMore} loading={loading}>
            {t('btn.more')}
          </Button>
        </div>
      )}
    </LoadState>
  );
}
