/** Chinese first, English on request: `const { t } = useT(); t('login.title')`, `t('clock.left', { time })`. */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { zh, type MessageKey } from './zh';
import { en } from './en';

export type Lang = 'zh' | 'en';
const LANG_KEY = 'jiesu.lang';
const dictionaries: Record<Lang, Record<MessageKey, string>> = { zh, en };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

type I18n = { lang: Lang; setLang: (l: Lang) => void; t: Translate };

const I18nContext = createContext<I18n | null>(null);

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch {
    /* no storage */
  }
  return 'zh';
}

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  let s = dictionaries[lang][key] ?? zh[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
    try {
      localStorage.setItem(LANG_KEY, l);
    } catch {
      /* no storage */
    }
  }, []);
  const value = useMemo<I18n>(() => ({ lang, setLang, t: (key, vars) => translate(lang, key, vars) }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useT(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useT outside I18nProvider');
  return ctx;
}

/** `2026-10-14 23:59` in Beijing time, whatever the browser's zone. */
export function formatTime(iso: string | null | undefined, lang: Lang, withYear = false): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const parts = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    year: withYear ? 'numeric' : undefined,
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${withYear ? `${get('year')}-` : ''}${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** A span of time in words: `2天3小时`, `45分钟`; `3d 4h` in English. */
export function formatSpan(ms: number, lang: Lang): string {
  const m = Math.max(0, Math.floor(Math.abs(ms) / 60000));
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const min = m % 60;
  if (lang === 'zh') {
    if (d > 0) return `${d}天${h}小时`;
    if (h > 0) return `${h}小时${min}分`;
    return `${min}分钟`;
  }
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${min}m`;
  return `${min} min`;
}

export function formatPercent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '—';
  const v = rate <= 1 ? rate * 100 : rate;
  return `${v.toFixed(1)}%`;
}
