/** The one way the web app talks to the server: JSON over fetch, bearer token, `{ code, message, fields? }` errors. */

const TOKEN_KEY = 'jiesu.token';

export type FieldProblem = { field: string; reason: string };

/** An error the API answered with; `message` is Chinese and meant to be shown. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldProblem[];
  constructor(status: number, code: string, message: string, fields: FieldProblem[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
  /** The route itself is missing (the server does not offer this yet), as opposed to a missing record. */
  get notAvailable(): boolean {
    return this.status === 404 && /接口不存在|Route .* not found/i.test(this.message);
  }
  get versionConflict(): boolean {
    return this.code === 'VERSION_CONFLICT';
  }
}

let token: string | null = readToken();
const unauthorizedListeners = new Set<() => void>();

function readToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function getToken(): string | null {
  return token;
}

export function setToken(value: string | null): void {
  token = value;
  try {
    if (value) localStorage.setItem(TOKEN_KEY, value);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    /* private mode: keep it in memory only */
  }
}

/** Called when the server says the token is no longer valid (expired, revoked). */
export function onUnauthorized(fn: () => void): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

type Options = { method?: string; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal; query?: Record<string, string | number | boolean | undefined | null> };

export function withQuery(path: string, query?: Options['query']): string {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

/** `await api<Me>('/auth/me')`; paths are under /api/v1. Throws ApiError. */
export async function api<T>(path: string, opts: Options = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...(opts.headers ?? {}) };
  if (token) headers.authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(withQuery(`/api/v1${path}`, opts.query), { method: opts.method ?? (body ? 'POST' : 'GET'), headers, body: body ?? null, signal: opts.signal ?? null });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  if (!res.ok) {
    const e = (data && typeof data === 'object' ? data : {}) as { code?: string; message?: string; fields?: FieldProblem[] };
    const err = new ApiError(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? `服务器错误（${res.status}）`, e.fields ?? []);
    if (res.status === 401 && token && path !== '/auth/login') for (const fn of unauthorizedListeners) fn();
    throw err;
  }
  return data as T;
}

/**
 * A protected file (an attachment) as a blob URL the page can show: `<img>` and links cannot send the bearer
 * token, so the file is fetched with it. Cached for the page's life: `await fileUrl('/api/v1/attachments/…')`.
 */
const files = new Map<string, Promise<string>>();
export function fileUrl(url: string): Promise<string> {
  let hit = files.get(url);
  if (!hit) {
    hit = fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} }).then(async (res) => {
      if (!res.ok) throw new ApiError(res.status, `HTTP_${res.status}`, res.status === 404 ? '附件不存在或无权查看' : `附件加载失败（${res.status}）`);
      return URL.createObjectURL(await res.blob());
    });
    hit.catch(() => files.delete(url));
    files.set(url, hit);
  }
  return hit;
}

/** A message for any thrown value: the API's Chinese message, or a generic one. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const fields = err.fields.length ? `：${err.fields.map((f) => `${f.field} ${f.reason}`).join('；')}` : '';
    return `${err.message}${fields}`;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

/** A v4 UUID; `crypto.randomUUID` exists only on https/localhost, `getRandomValues` everywhere. */
export function newIdempotencyKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
