/**
 * Where a webhook may point: http(s) only, and never at the platform's own network — loopback, private (RFC 1918),
 * CGNAT, link-local (cloud metadata at 169.254.169.254), unique-local IPv6, multicast, unspecified or reserved
 * addresses — or a subscriber with `webhooks:manage` could make the platform POST to its database or metadata
 * service. Checked when a subscription is saved and again before each delivery, since DNS can change.
 * JIESU_WEBHOOK_ALLOW_PRIVATE=true (tests, a closed lab network) lifts the address rule, not the scheme rule.
 */
import { lookup } from 'node:dns/promises';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { DomainError } from '../../domain/errors.js';

const refused = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // unspecified, "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255
] as const)
  refused.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 would reach IPv4 ranges above
] as const)
  refused.addSubnet(net, prefix, 'ipv6');

/** isRefusedAddress('10.0.0.1') → true; isRefusedAddress('::ffff:127.0.0.1') → true; isRefusedAddress('93.184.216.34') → false */
export function isRefusedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return refused.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return refused.check(mapped, 'ipv4');
  return refused.check(address, 'ipv6');
}

export type TargetProblem = { code: 'BAD_URL' | 'BAD_SCHEME' | 'UNRESOLVABLE' | 'PRIVATE_ADDRESS'; reason: string };

/**
 * Why a webhook URL may not be called now, or null when it may: the host's every address is checked.
 * webhookTargetProblem('http://127.0.0.1:5432/', { allowPrivate: false }) → { code: 'PRIVATE_ADDRESS', reason: '…' }
 */
export async function webhookTargetProblem(url: string, opts: { allowPrivate: boolean }): Promise<TargetProblem | null> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { code: 'BAD_URL', reason: '不是有效的网址' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { code: 'BAD_SCHEME', reason: '只支持 http 或 https' };
  if (opts.allowPrivate) return null;
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      return { code: 'UNRESOLVABLE', reason: `无法解析域名 ${host}` };
    }
  }
  const bad = addresses.find(isRefusedAddress);
  if (bad !== undefined || addresses.length === 0) return { code: 'PRIVATE_ADDRESS', reason: `不能指向内网、本机、链路本地或组播地址（${bad ?? host}）` };
  return null;
}

/** Throws the 400 for a subscription whose URL may not be used (code WEBHOOK_TARGET_REFUSED, field `url`). */
export async function assertWebhookTarget(url: string, opts: { allowPrivate: boolean }): Promise<void> {
  const p = await webhookTargetProblem(url, opts);
  if (p) throw new DomainError('WEBHOOK_TARGET_REFUSED', `url：${p.reason}`, [{ field: 'url', reason: p.reason }]);
}

/** What a webhook delivery needs of an HTTP client: `fetch` satisfies it, and so does `guardedPost`. */
export type WebhookSender = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ status: number; ok: boolean }>;

/** A DNS lookup for the socket itself that refuses private addresses: the address checked is the address connected to. */
function guardedLookup(): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses;
      const bad = list.find((a) => isRefusedAddress(a.address));
      if (bad || list.length === 0) {
        const e = Object.assign(new Error(`${hostname} 解析到内网或保留地址 ${bad?.address ?? ''}`), { code: 'PRIVATE_ADDRESS' });
        return callback(e, '', 0);
      }
      // Node asks for every address when it races IPv4 and IPv6 (autoSelectFamily), else for one.
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0]!;
      return callback(null, first.address, first.family);
    });
  };
}

/**
 * POST with node:http(s), resolving the host through `guardedLookup` (unless private targets are allowed), so a name
 * that passed the check cannot be re-pointed at an internal address between the check and the call (DNS rebinding).
 * IP literals skip DNS: the check before the call covers them. Redirects are not followed.
 */
export function guardedPost(opts: { allowPrivate: boolean }): WebhookSender {
  return (url, init) =>
    new Promise((resolve, reject) => {
      const u = new URL(url);
      const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = request(u, { method: init.method, headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) }, signal: init.signal, ...(opts.allowPrivate ? {} : { lookup: guardedLookup() }) }, (res) => {
        res.resume(); // the body is not read: only the status matters
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ok: (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300 }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(init.body);
    });
}
