import { createHash } from 'node:crypto';
import type { Db } from './db';
import { InvalidIdempotencyKey, KeyReused } from './domain-errors';

/**
 * The Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header): a client sends a
 * unique key with a POST; a retry with the same key gets the first answer again and
 * changes nothing. Why there is no "409 still in flight" here: docs/idempotency.md.
 */

/** What a keyed request answered, stored and replayed as it was. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export interface IdempotencyOptions {
  /** How long a key is remembered; after that the same key is a new request. */
  readonly ttlMs: number;
  /** The clock, in epoch milliseconds (tests move it). */
  readonly now: () => number;
}

export const defaults: IdempotencyOptions = {
  ttlMs: 24 * 60 * 60 * 1000,
  now: () => Date.now(),
};

export interface Keyed {
  /** Keys are scoped by customer: two customers may use the same key for different things. */
  readonly customer: string;
  readonly key: string;
  /** The request's identity: the same key with another fingerprint is a misuse (KeyReused). */
  readonly fingerprint: string;
}

export interface Idempotency {
  /**
   * Run `work` once for this key. Looking the key up, the work and storing its answer are
   * one IMMEDIATE transaction, so no other request (in this process or another on the
   * same file) can see the key half-done: it waits, then gets the stored answer. The key
   * used before with another fingerprint: KeyReused, and nothing is done or changed.
   */
  once(keyed: Keyed, work: () => Answer): { answer: Answer; replayed: boolean };
}

const MAX_KEY_LENGTH = 255;
const BARE = /^[\x21\x23-\x7e]+$/; // visible ASCII, no spaces or quotes
const QUOTED = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/; // an sf-string (RFC 8941 §3.3.3)

/**
 * The key from the header: the draft's form is a quoted structured-field string
 * (`"8e03978e-40d5-43e8-bc93-6894a57f9324"`); many clients send it bare, so both are taken.
 * No header: undefined (the key is optional). A malformed one: InvalidIdempotencyKey.
 */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const quoted = QUOTED.exec(header);
  const key = quoted ? quoted[1]!.replace(/\\(["\\])/g, '$1') : BARE.test(header) ? header : undefined;
  if (!key || key.length > MAX_KEY_LENGTH) throw new InvalidIdempotencyKey(MAX_KEY_LENGTH);
  return key;
}

/** A stable digest of an already validated request (its keys always in the same order). */
export function fingerprintOf(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

export function createIdempotency(db: Db, options: Partial<IdempotencyOptions> = {}): Idempotency {
  const { ttlMs, now } = { ...defaults, ...options };
  const forget = db.prepare('DELETE FROM idempotency_keys WHERE expires_at <= ?');
  const find = db.prepare('SELECT fingerprint, status, body FROM idempotency_keys WHERE customer = ? AND idempotency_key = ?');
  const remember = db.prepare(
    'INSERT INTO idempotency_keys (customer, idempotency_key, fingerprint, status, body, expires_at) VALUES (@customer, @key, @fingerprint, @status, @body, @expiresAt)',
  );

  const once = db.transaction((keyed: Keyed, work: () => Answer) => {
    const at = now();
    forget.run(at); // expired keys go first, so an expired key is simply a new one
    const stored = find.get(keyed.customer, keyed.key) as { fingerprint: string; status: number; body: string } | undefined;
    if (stored) {
      // Thrown inside the transaction, so it rolls back: a misused key changes nothing.
      if (stored.fingerprint !== keyed.fingerprint) throw new KeyReused();
      return { answer: { status: stored.status, body: JSON.parse(stored.body) as unknown }, replayed: true };
    }
    const answer = work();
    remember.run({ ...keyed, status: answer.status, body: JSON.stringify(answer.body), expiresAt: at + ttlMs });
    return { answer, replayed: false };
  });

  return { once: (keyed, work) => once.immediate(keyed, work) };
}
