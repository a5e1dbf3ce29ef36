/**
 * Attachments (photos, audio, documents) on requests and replies: checked by content, not by name, stored under
 * the data folder by content hash, and readable by whoever may see what they are attached to.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, notFound } from '../../domain/errors.js';
import type { Db } from '../../store/db.js';
import { attachments, requests } from '../../store/schema/index.js';
import { loadVisibleOrder } from '../orders/orderRecord.js';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** Allowed types, recognised by their first bytes (a renamed executable is refused whole). */
const signatures: { mime: string; ext: string; test: (b: Buffer) => boolean }[] = [
  { mime: 'image/jpeg', ext: 'jpg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/png', ext: 'png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mime: 'image/gif', ext: 'gif', test: (b) => b.subarray(0, 4).toString('latin1') === 'GIF8' },
  { mime: 'image/webp', ext: 'webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { mime: 'application/pdf', ext: 'pdf', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { mime: 'audio/wav', ext: 'wav', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WAVE' },
  { mime: 'audio/mpeg', ext: 'mp3', test: (b) => b.subarray(0, 3).toString('latin1') === 'ID3' || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0) },
  { mime: 'audio/amr', ext: 'amr', test: (b) => b.subarray(0, 6).toString('latin1') === '#!AMR\n' },
  { mime: 'audio/mp4', ext: 'm4a', test: (b) => b.subarray(4, 8).toString('latin1') === 'ftyp' },
];

export function sniffType(b: Buffer): { mime: string; ext: string } | null {
  const hit = signatures.find((s) => b.length >= 12 && s.test(b));
  return hit ? { mime: hit.mime, ext: hit.ext } : null;
}

export type AttachmentView = { id: string; name: string; type: string; size: number; url: string };

export async function storeAttachment(args: { db: Db; actor: Actor; dataDir: string; name: string; data: Buffer; now: Date }): Promise<AttachmentView> {
  const { data } = args;
  if (data.length === 0) throw new DomainError('VALIDATION_FAILED', '文件为空', [{ field: 'file', reason: '空文件' }]);
  if (data.length > MAX_ATTACHMENT_BYTES) throw new DomainError('PAYLOAD_TOO_LARGE', `文件超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`);
  const type = sniffType(data);
  if (!type) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', '不支持的文件类型：仅限图片（JPG/PNG/GIF/WebP）、PDF 和音频（MP3/WAV/AMR/M4A）');
  const sha256 = createHash('sha256').update(data).digest('hex');
  const id = randomUUID();
  const rel = path.join('attachments', sha256.slice(0, 2), `${sha256}.${type.ext}`);
  const full = path.join(args.dataDir, rel);
  await mkdir(path.dirname(full), { recursive: true });
  // Write then rename, so a crash never leaves half a file under the final name.
  const tmp = `${full}.${id}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, full);
  // Path separators and control characters never reach a file name shown to others.
  const name = [...args.name].map((ch) => (ch === '/' || ch === '\\' || ch.charCodeAt(0) < 32 ? '_' : ch)).join('').slice(0, 200) || `file.${type.ext}`;
  await args.db.insert(attachments).values({ id, name, mime: type.mime, size: data.length, sha256, storedPath: rel, createdBy: args.actor.userId, createdAt: args.now });
  return { id, name, type: type.mime, size: data.length, url: `/api/v1/attachments/${id}` };
}

/** The file, if the actor uploaded it or may see the request or order it belongs to. */
export async function readAttachment(args: { db: Db; actor: Actor; dataDir: string; id: string }): Promise<{ name: string; mime: string; data: Buffer }> {
  if (!/^[0-9a-f-]{36}$/i.test(args.id)) throw notFound('附件');
  const [a] = await args.db.select().from(attachments).where(eq(attachments.id, args.id)).limit(1);
  if (!a) throw notFound('附件');
  if (a.createdBy !== args.actor.userId) {
    let orderId: string | null = null;
    if (a.ownerType === 'request' && a.ownerId) {
      const [r] = await args.db.select({ orderId: requests.orderId }).from(requests).where(eq(requests.id, a.ownerId));
      orderId = r?.orderId ?? null;
    } else if (a.ownerType === 'order') orderId = a.ownerId;
    if (!orderId) throw notFound('附件');
    await loadVisibleOrder(args.db, args.actor, orderId).catch(() => {
      throw notFound('附件');
    });
  }
  return { name: a.name, mime: a.mime, data: await readFile(path.join(args.dataDir, a.storedPath)) };
}
