/** How Open311 shows platform things: W3C times in Beijing's offset, open/closed, masked text. */
import type { OrderState } from '../../domain/order/index.js';

const OFFSET_MS = 8 * 3600_000;

/** w3c(new Date('2026-09-29T13:40:00Z')) → '2026-09-29T21:40:00+08:00' */
export function w3c(d: Date | null | undefined): string | null {
  if (!d) return null;
  return `${new Date(d.getTime() + OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** Parse a W3C/ISO date-time (with offset or Z); a bare date counts as Beijing midnight. Null when malformed. */
export function parseW3c(s: string): Date | null {
  const t = s.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return new Date(`${t}T00:00:00+08:00`);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(t)) return null;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? null : d;
}

const closedStates: readonly OrderState[] = ['closed', 'terminated', 'invalid', 'merged'];
export const open311Status = (state: string): 'open' | 'closed' => ((closedStates as readonly string[]).includes(state) ? 'closed' : 'open');
/** The states behind each Open311 status, for filters. */
export const statesOf = (status: 'open' | 'closed', all: readonly string[]): string[] => all.filter((s) => open311Status(s) === status);

/** PIPL: mobile numbers a citizen typed into the text are masked for the outside world. */
export function maskText(text: string): string {
  return text.replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2');
}

const MEDIA_LINE = /\n图片：(https?:\/\/\S+)$/;

/** The body as intake wrote it, split back into the description and the media_url line. */
export function splitMedia(body: string): { description: string; mediaUrl: string | null } {
  const m = MEDIA_LINE.exec(body);
  return m ? { description: body.slice(0, m.index), mediaUrl: m[1] ?? null } : { description: body, mediaUrl: null };
}
