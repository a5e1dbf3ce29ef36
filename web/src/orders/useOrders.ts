/** A live list of orders: `/orders` with a filter, more by cursor, refreshed when the event stream says so. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, withQuery } from '../api/client';
import { useLiveStatus, useOrderEvents } from '../api/events';
import type { OrderCounts, OrderPage, OrderSummary } from '../api/types';

export type OrderQuery = Record<string, string | number | boolean | undefined>;

export type OrderListState = {
  items: OrderSummary[] | undefined;
  /** How many the filter matches (from the server, capped at 10,000: see `counts.capped`). */
  total: number | undefined;
  counts: OrderCounts | undefined;
  loading: boolean;
  error: unknown;
  hasMore: boolean;
  reload: () => void;
  more: () => void;
};

/** `useOrders({ state: 'pending_review' })`; `null` loads nothing (a tab not yet opened). */
export function useOrders(query: OrderQuery | null, opts: { limit?: number; live?: boolean } = {}): OrderListState {
  const limit = opts.limit ?? 50;
  const key = query ? withQuery('/orders', { ...query, limit }) : null;
  const [items, setItems] = useState<OrderSummary[] | undefined>(undefined);
  const [counts, setCounts] = useState<OrderCounts | undefined>(undefined);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(key !== null);
  const [error, setError] = useState<unknown>(null);
  const [nonce, setNonce] = useState(0);
  const lastKey = useRef<string | null>(null);

  useEffect(() => {
    if (!key) return;
    const ctl = new AbortController();
    if (lastKey.current !== key) {
      setItems(undefined);
      setCounts(undefined);
    }
    lastKey.current = key;
    setLoading(true);
    setError(null);
    api<OrderPage>(key, { signal: ctl.signal }).then(
      (p) => {
        setItems(p.items);
        if (p.counts) setCounts(p.counts);
        setCursor(p.nextCursor);
        setLoading(false);
      },
      (err: unknown) => {
        if (err instanceof DOMException && err.name === 'AbortError') return;
        setError(err);
        setLoading(false);
      },
    );
    return () => ctl.abort();
  }, [key, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const more = useCallback(() => {
    if (!key || !cursor) return;
    setLoading(true);
    api<OrderPage>(withQuery(key, { cursor })).then(
      (p) => {
        setItems((old) => [...(old ?? []), ...p.items.filter((o) => !(old ?? []).some((x) => x.id === o.id))]);
        setCursor(p.nextCursor);
        setLoading(false);
      },
      (err: unknown) => {
        setError(err);
        setLoading(false);
      },
    );
  }, [key, cursor]);

  useOrderEvents(() => {
    if (key && opts.live !== false) reload();
  });

  // Without the event stream (not offered, or the connection is down), fall back to a slow poll.
  const live = useLiveStatus();
  useEffect(() => {
    if (!key || opts.live === false || live === 'live') return;
    const t = window.setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, 30_000);
    return () => window.clearInterval(t);
  }, [key, live, opts.live, reload]);

  return { items, total: counts?.total, counts, loading, error, hasMore: cursor !== null, reload, more };
}

/**
 * Only the counts of what a filter matches (`/orders?limit=0`), kept live: for tab badges whose lists load when
 * opened. `useOrderCounts({ state: 'returned' })?.total`.
 */
export function useOrderCounts(query: OrderQuery | null): OrderCounts | undefined {
  return useOrders(query, { limit: 0 }).counts;
}

/** `12`, or `10000+` when the server stopped counting. */
export function countLabel(c: OrderCounts | undefined): string {
  if (!c) return '';
  return c.capped ? `${c.total.toLocaleString('zh-CN')}+` : String(c.total);
}
