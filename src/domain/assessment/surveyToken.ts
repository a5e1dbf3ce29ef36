/**
 * 回访评价链接: a signed, expiring token that lets the citizen rate one reply of one order without signing in.
 * Stateless: the token carries the order, which reply it is for and when it expires, signed with HMAC-SHA256 under
 * a server secret; one-time use follows from the order (once it is followed up, that reply is rated).
 * Layout: base64url of [version 1 byte][order uuid 16][replied-at ms 8][expires-at s 4][first 16 bytes of the MAC] —
 * 60 characters with no separator, so the web app's /survey/<token> path has no dot to mistake for a file name.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SurveyClaim = { orderId: string; repliedAt: Date; expiresAt: Date };

export type SurveyTokenCheck = { ok: true; claim: SurveyClaim } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

const VERSION = 1;
const PAYLOAD_BYTES = 1 + 16 + 8 + 4;
const MAC_BYTES = 16;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function mac(secret: string | Buffer, payload: Buffer): Buffer {
  return createHmac('sha256', secret).update(payload).digest().subarray(0, MAC_BYTES);
}

/**
 * Sign a claim. The secret must be the server's (≥ 32 bytes of randomness).
 * @example signSurveyToken({ orderId, repliedAt, expiresAt }, secret) // 'AQscQOvP…' (60 characters)
 */
export function signSurveyToken(claim: SurveyClaim, secret: string | Buffer): string {
  if (!UUID_RE.test(claim.orderId)) throw new RangeError(`not a uuid: ${claim.orderId}`);
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(VERSION, 0);
  Buffer.from(claim.orderId.replace(/-/g, ''), 'hex').copy(payload, 1);
  payload.writeBigUInt64BE(BigInt(claim.repliedAt.getTime()), 17);
  payload.writeUInt32BE(Math.floor(claim.expiresAt.getTime() / 1000), 25);
  return Buffer.concat([payload, mac(secret, payload)]).toString('base64url');
}

/**
 * Read a token: the signature first (a forged expiry is a forgery, not an expired link), then the expiry.
 * @example readSurveyToken(token, secret, now) // { ok: true, claim } or { ok: false, reason: 'expired' }
 */
export function readSurveyToken(token: string, secret: string | Buffer, now: Date): SurveyTokenCheck {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return { ok: false, reason: 'malformed' };
  const bytes = Buffer.from(token, 'base64url');
  // Only the canonical encoding is accepted, so one claim has exactly one token.
  if (bytes.length !== PAYLOAD_BYTES + MAC_BYTES || bytes.toString('base64url') !== token) return { ok: false, reason: 'malformed' };
  const payload = bytes.subarray(0, PAYLOAD_BYTES);
  const given = bytes.subarray(PAYLOAD_BYTES);
  if (!timingSafeEqual(given, mac(secret, payload))) return { ok: false, reason: 'bad_signature' };
  if (payload.readUInt8(0) !== VERSION) return { ok: false, reason: 'malformed' };
  const hex = payload.subarray(1, 17).toString('hex');
  const orderId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const repliedAt = new Date(Number(payload.readBigUInt64BE(17)));
  const expiresAt = new Date(payload.readUInt32BE(25) * 1000);
  if (now.getTime() >= expiresAt.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claim: { orderId, repliedAt, expiresAt } };
}

/**
 * Mask personal numbers inside free text shown to whoever holds a link (PIPL): mobile numbers keep 3 + 4 digits,
 * ID-card numbers their first 6 and last 4.
 * @example maskNumbersInText('请联系13812345678') // '请联系138****5678'
 */
export function maskNumbersInText(text: string): string {
  return text
    .replace(/(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)/g, '$1********$2')
    .replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2');
}
