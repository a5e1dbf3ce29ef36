/**
 * Live order and alarm changes from `GET /events/stream` (Server-Sent Events), one connection per tab, shared by
 * every list on the page (the server sends each user only what their area may see). EventSource reconnects by itself after a dropped connection; when the server refuses
 * (closed stream, 401, route missing) we retry with a growing delay.
 */
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { getToken } from './client';
import type { OrderEvent } from './types';

export type LiveStatus = 'connecting' | 'live' | 'offline';
/** An alarm raised, acted on or made an order (`change`: raised, acknowledged, assigned, cleared, ordered). */
export type AlarmEvent = { alarmId: string; no: string; state: string; severity: string; change: string };
type Listener = (e: OrderEvent) => void;
type AlarmListener = (e: AlarmEvent) => void;
type Live = { status: LiveStatus; subscribe: (fn: Listener) => () => void; subscribeAlarms: (fn: AlarmListener) => () => void };

const LiveContext = createContext<Live>({ status: 'offline', subscribe: () => () => undefined, subscribeAlarms: () => () => undefined });

export function OrderEventsProvider({ children, enabled }: { children: ReactNode; enabled: boolean }) {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const listeners = useRef(new Set<Listener>());
  const alarmListeners = useRef(new Set<AlarmListener>());
  const [live] = useState<Omit<Live, 'status'>>(() => ({
    subscribe: (fn: Listener) => {
      listeners.current.add(fn);
      return () => listeners.current.delete(fn);
    },
    subscribeAlarms: (fn: AlarmListener) => {
      alarmListeners.current.add(fn);
      return () => alarmListeners.current.delete(fn);
    },
  }));

  useEffect(() => {
    if (!enabled) return;
    let es: EventSource | null = null;
    let retry: number | undefined;
    let delay = 2000;
    let stopped = false;
    const connect = () => {
      const token = getToken();
      if (!token || stopped) return;
      setStatus('connecting');
      es = new EventSource(`/api/v1/events/stream?token=${encodeURIComponent(token)}`);
      es.onopen = () => {
        delay = 2000;
        setStatus('live');
      };
      es.addEventListener('order', (msg) => {
        try {
          const data = JSON.parse((msg as MessageEvent<string>).data) as OrderEvent;
          for (const fn of listeners.current) fn(data);
        } catch {
          /* a malformed event: ignore it */
        }
      });
      es.addEventListener('alarm', (msg) => {
        try {
          const data = JSON.parse((msg as MessageEvent<string>).data) as AlarmEvent;
          for (const fn of alarmListeners.current) fn(data);
        } catch {
          /* a malformed event: ignore it */
        }
      });
      es.onerror = () => {
        if (es && es.readyState === EventSource.CLOSED) {
          es.close();
          setStatus('offline');
          retry = window.setTimeout(connect, delay);
          delay = Math.min(delay * 2, 60000);
        } else setStatus('connecting');
      };
    };
    connect();
    return () => {
      stopped = true;
      window.clearTimeout(retry);
      es?.close();
    };
  }, [enabled]);

  return <LiveContext.Provider value={{ status, subscribe: live.subscribe, subscribeAlarms: live.subscribeAlarms }}>{children}</LiveContext.Provider>;
}

export function useLiveStatus(): LiveStatus {
  return useContext(LiveContext).status;
}

/** Run the latest `fn`, debounced, for events of one live subscription (orders or alarms). */
function useDebouncedEvents<E>(subscribe: (fn: (e: E) => void) => () => void, fn: (e: E) => void, debounceMs: number): void {
  const latest = useRef(fn);
  useEffect(() => {
    latest.current = fn;
  });
  useEffect(() => {
    let t: number | undefined;
    let last: E | null = null;
    const off = subscribe((e) => {
      last = e;
      window.clearTimeout(t);
      t = window.setTimeout(() => last && latest.current(last), debounceMs);
    });
    return () => {
      off();
      window.clearTimeout(t);
    };
  }, [subscribe, debounceMs]);
}

/**
 * Run `fn` (debounced) when an order changes: `useOrderEvents(() => orders.reload())`.
 * The latest `fn` is used, so it may close over fresh state.
 */
export function useOrderEvents(fn: (e: OrderEvent) => void, debounceMs = 400): void {
  useDebouncedEvents(useContext(LiveContext).subscribe, fn, debounceMs);
}

/** Run `fn` (debounced) when an alarm of the user's area changes: `useAlarmEvents(() => feed.reload())`. */
export function useAlarmEvents(fn: (e: AlarmEvent) => void, debounceMs = 300): void {
  useDebouncedEvents(useContext(LiveContext).subscribeAlarms, fn, debounceMs);
}
