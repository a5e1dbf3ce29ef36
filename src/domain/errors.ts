/**
 * Domain errors carry a stable English code for programs and a Chinese message for people.
 * The HTTP edge maps codes to statuses in one table (src/http/errors.ts); the domain knows no HTTP.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'ACCOUNT_LOCKED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'VERSION_CONFLICT'
  | 'ILLEGAL_TRANSITION'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  /** A signed link (the citizen's survey link) that is forged, garbled or points at nothing. */
  | 'LINK_INVALID'
  | 'LINK_EXPIRED'
  /** A one-time link that has done its work already. */
  | 'LINK_USED'
  /** 未诉先办: the same spike or forecast was already opened as an order (or alert). */
  | 'DUPLICATE_EVIDENCE'
  /** A webhook URL that is not http(s) or reaches a loopback, private, link-local or multicast address (field `url`). */
  | 'WEBHOOK_TARGET_REFUSED'
  | 'INTERNAL';

export type FieldProblem = { field: string; reason: string };

export class DomainError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly fields?: FieldProblem[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what}不存在`);
export const forbidden = (why = '无权执行此操作') => new DomainError('FORBIDDEN', why);
export const invalid = (field: string, reason: string) =>
  new DomainError('VALIDATION_FAILED', `${field}：${reason}`, [{ field, reason }]);
