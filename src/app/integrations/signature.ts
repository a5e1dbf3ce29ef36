/**
 * Webhook signatures: `X-Jiesu-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * The timestamp is signed with the body, so a receiver refuses old signatures (replays) by checking `t`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** signWebhook('whsec_…', '{"event":…}', 1790000000) → 't=1790000000,v1=5f…' */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** What a receiver does: parse the header, recompute, compare in constant time, refuse if older than `toleranceSeconds`. */
export function verifyWebhookSignature(args: { secret: string; body: string; header: string | undefined; nowSeconds: number; toleranceSeconds?: number }): boolean {
  const parts = Object.fromEntries((args.header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  const v1 = parts.v1;
  if (!Number.isInteger(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(args.nowSeconds - t) > (args.toleranceSeconds ?? 300)) return false;
  const expected = signWebhook(args.secret, args.body, t).slice(`t=${t},v1=`.length);
  return timingSafeEqual(Buffer.from(expected), Buffer.from(v1));
}
