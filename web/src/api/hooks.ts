/** Small React hooks over the API: load a resource, debounce a value, tick a clock. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from './client';

export type Loaded<T> = {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (fn: (old: T | undefined) => T | undefined) => void;
};

/**
 * Load `path` (under /api/v1) whenever it changes; `null` loads nothing.
 * `const orders = useApi<OrderPage>('/orders?state=dispatched')`.
 */
export function useApi<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: path !== null });
  const [nonce, setNonce] = useState(0);
  const keep = useRef<string | null>(null);

  useEffect(() => {
    if (path === null) {
      setState({ data: undefined, error: null, loading: false });
      return;
    }
    const ctl = new AbortController();
    // Keep the old data while reloading the same path (live refresh must not flash a spinner).
    const samePath = keep.current === path;
    keep.current = path;
    setState((s) => ({ data: samePath ? s.data : undefined, error: null, loading: true }));
    api<T>(path, { signal: ctl.signal }).then(
      (data) => setState({ data, error: null, loading: false }),
      (error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') return;
        setState((s) => ({ data: samePath ? s.data : undefined, error, loading: false }));
      },
    );
    return () => ctl.abort();
  }, [path, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const setData = useCallback((fn: (old: T | undefined) => T | undefined) => setState((s) => ({ ...s, data: fn(s.data) })), []);
  return { ...state, reload, setData };
}

export function useDebounced<T>(value: T, ms = 300): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = window.setTimeout(() => setV(value), ms);
    return () => window.clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** The current time, re-rendering every `ms` (for countdowns). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(t);
  }, [ms]);
  return now;
}

/** True when the error says the server does not offer this API yet. */
export function isNotAvailable(err: unknown): boolean {
  return err instanceof ApiError && err.notAvailable;
}

export function useMediaQuery(query: string): boolean {
  const [match, setMatch] = useState(() => typeof window !== 'undefined' && window.matchMedia(query).matches);
  useEffect(() => {
    const m = window.matchMedia(query);
    const on = () => setMatch(m.matches);
    on();
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, [query]);
  return match;
}

/** Phone width: one column, full-screen drawers, cards instead of tables. */
export function useIsPhone(): boolean {
  return useMediaQuery('(max-width: 767px)');
}
