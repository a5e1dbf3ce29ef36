/**
 * The open orders a new request of a street is compared against for repeats (重复诉求), kept per street on this
 * server: every request of a busy street compares against the same few hundred orders, so they are read and
 * their words cut once, not at every request. Intake on this server adds its new orders the moment they commit
 * (`noteNewOrder`); the whole list is read again when it is `REFRESH_MS` old, which is how orders closed meanwhile
 * drop out and orders taken in by other servers come in. Orders' titles and texts never change after intake.
 */
import { and, desc, eq, gt, inArray, isNull } from 'drizzle-orm';
import { repeatableStates } from '../../domain/order/index.js';
import { textSignature, type TextSignature } from '../../intelligence/similar/similar.js';
import type { Db } from '../../store/db.js';
import { orders } from '../../store/schema/index.js';

/** An open order of the street, in the shape `findRepeats` compares; its words are cut when first compared. */
export type RepeatCandidateRow = {
  id: string;
  no: string;
  title: string;
  state: string;
  streetCode: string | null;
  communityCode: string | null;
  acceptedAt: Date;
  /** The text until its words are cut. */
  body: string | null;
  signature?: TextSignature;
};

/** How long a street's list is trusted before it is read whole again. */
export const REFRESH_MS = 5_000;
/** The newest open orders of a street compared against (as many as a dispatcher could weigh). */
const PER_STREET = 300;
const WINDOW_MS = 7 * 86_400_000;
/** Streets kept: more than Beijing has (343); a city with more drops the least recently read. */
const MAX_STREETS = 2_000;

/** A street's open orders, newest first, at most `PER_STREET`. */
type NewOrder = { id: string; no: string; title: string; body: string; state: string; streetId: string | null; communityId: string | null; acceptedAt: Date };

type StreetList = { readAt: number; rows: RepeatCandidateRow[] };

/** The words of a candidate, cut once. */
export function signatureOf(row: RepeatCandidateRow): TextSignature {
  if (!row.signature) {
    row.signature = textSignature(row.title, row.body);
    row.body = null;
  }
  return row.signature;
}

class RepeatCandidates {
  private readonly streets = new Map<string, StreetList>();
  /** Streets being read, shared by the requests that find their list old at the same time. */
  private readonly reading = new Map<string, Promise<StreetList>>();
  /** Orders this server took in while their street was being read: they may be too new for that read. */
  private readonly notedDuringRead = new Map<string, RepeatCandidateRow[]>();

  constructor(private readonly db: Db) {}

  /** Open orders of the street accepted in the seven days before `now`, newest first, at most 300. */
  async of(street: string, now: Date, clock: number): Promise<RepeatCandidateRow[]> {
    let list = this.streets.get(street);
    if (!list || clock - list.readAt > REFRESH_MS) list = await this.refresh(street, now, clock);
    const from = now.getTime() - WINDOW_MS;
    return list.rows.filter((r) => r.acceptedAt.getTime() > from && r.acceptedAt.getTime() <= now.getTime());
  }

  private refresh(street: string, now: Date, clock: number): Promise<StreetList> {
    const pending = this.reading.get(street);
    if (pending) return pending;
    this.notedDuringRead.set(street, []);
    const read = (async () => {
      const fresh: StreetList = { readAt: clock, rows: await this.read(street, now, this.streets.get(street)) };
      for (const row of this.notedDuringRead.get(street) ?? []) if (!fresh.rows.some((r) => r.id === row.id)) insertByTime(fresh.rows, row);
      this.streets.delete(street);
      if (this.streets.size >= MAX_STREETS) {
        const oldest = this.streets.keys().next();
        if (!oldest.done) this.streets.delete(oldest.value);
      }
      this.streets.set(street, fresh);
      return fresh;
    })().finally(() => {
      this.reading.delete(street);
      this.notedDuringRead.delete(street);
    });
    this.reading.set(street, read);
    return read;
  }

  /** A new order of this server, committed: compared from the next request on, if its street's list is kept. */
  note(row: NewOrder): void {
    if (!row.streetId || !(repeatableStates as readonly string[]).includes(row.state)) return;
    const entry: RepeatCandidateRow = { id: row.id, no: row.no, title: row.title, state: row.state, streetCode: row.streetId, communityCode: row.communityId, acceptedAt: row.acceptedAt, body: row.body };
    this.notedDuringRead.get(row.streetId)?.push(entry);
    const list = this.streets.get(row.streetId);
    if (list) insertByTime(list.rows, entry);
  }

  /** The street's open orders (ids first; texts only of orders not already kept, with their words). */
  private async read(street: string, now: Date, before: StreetList | undefined): Promise<RepeatCandidateRow[]> {
    const meta = await this.db
      .select({ id: orders.id, no: orders.no, state: orders.state, streetId: orders.streetId, communityId: orders.communityId, acceptedAt: orders.acceptedAt })
      .from(orders)
      .where(and(eq(orders.streetId, street), gt(orders.acceptedAt, new Date(now.getTime() - WINDOW_MS)), isNull(orders.closedAt), inArray(orders.state, [...repeatableStates])))
      .orderBy(desc(orders.acceptedAt))
      .limit(PER_STREET);
    const kept = new Map((before?.rows ?? []).map((r) => [r.id, r]));
    const missing = meta.filter((m) => !kept.has(m.id)).map((m) => m.id);
    const texts = missing.length ? await this.db.select({ id: orders.id, title: orders.title, body: orders.body }).from(orders).where(inArray(orders.id, missing)) : [];
    const textOf = new Map(texts.map((t) => [t.id, t]));
    return meta.flatMap((m): RepeatCandidateRow[] => {
      const k = kept.get(m.id);
      if (k) return [{ ...k, state: m.state }];
      const t = textOf.get(m.id);
      return t ? [{ id: m.id, no: m.no, state: m.state, streetCode: m.streetId, communityCode: m.communityId, acceptedAt: m.acceptedAt, title: t.title, body: t.body }] : [];
    });
  }
}

/** Put a row in its place in a newest-first list kept to `PER_STREET` (intake's orders mostly come newest). */
function insertByTime(rows: RepeatCandidateRow[], row: RepeatCandidateRow): void {
  const at = rows.findIndex((r) => r.acceptedAt.getTime() <= row.acceptedAt.getTime());
  rows.splice(at === -1 ? rows.length : at, 0, row);
  if (rows.length > PER_STREET) rows.length = PER_STREET;
}

const byDb = new WeakMap<Db, RepeatCandidates>();

function candidatesOf(db: Db): RepeatCandidates {
  let c = byDb.get(db);
  if (!c) {
    c = new RepeatCandidates(db);
    byDb.set(db, c);
  }
  return c;
}

/**
 * Open orders of the street a new request may repeat: accepted in the seven days before `now`, newest first, at
 * most 300. `clock` is a monotonic millisecond reading (performance.now()) that ages the kept list.
 * @example const rows = await repeatCandidates(db, '110105026', now); findRepeats(…, rows.map(…signatureOf…))
 */
export function repeatCandidates(db: Db, street: string, now: Date, clock = performance.now()): Promise<RepeatCandidateRow[]> {
  return candidatesOf(db).of(street, now, clock);
}

/** Tell this server's repeat candidates of an order intake has just committed. */
export function noteNewOrder(db: Db, order: NewOrder): void {
  byDb.get(db)?.note(order);
}
