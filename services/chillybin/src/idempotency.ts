import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { sqliteTransaction, type Db } from './db';
import { KeyReused } from './domain-errors';
import { postgresTransaction, queryOn, type Prepared } from './postgres';
import type { Tx } from './transaction';

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
   * Run `work` once for this key. Looking the key up, the work (given the transaction, to
   * do its writes in) and storing its answer are one transaction, so no other request (in
   * this process, another worker or another replica) can see the key half-done: it waits,
   * then gets the stored answer. The key used before with another fingerprint: KeyReused,
   * and nothing is done or changed.
   */
  once(keyed: Keyed, work: (tx: Tx) => Promise<Answer>): Promise<{ answer: Answer; replayed: boolean }>;
}

interface Stored {
  readonly fingerprint: string;
  readonly status: number;
  readonly body: string;
}

/** The stored answer, replayed; or KeyReused, thrown inside the transaction so it rolls back and changes nothing. */
function replay(stored: Stored, keyed: Keyed): { answer: Answer; replayed: true } {
  if (stored.fingerprint !== keyed.fingerprint) throw new KeyReused();
  return { answer: { status: stored.status, body: JSON.parse(stored.body) as unknown }, replayed: true };
}

/** The header's rules are shared with jafflr's POST /toastie. */
export { parseIdempotencyKey } from '@toasties/contract';

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

  return {
    // BEGIN IMMEDIATE (db.ts): the write lock is the key's lock, taken before the look-up.
    once: (keyed, work) =>
      sqliteTransaction(db, async (tx) => {
        const at = now();
        forget.run(at); // expired keys go first, so an expired key is simply a new one
        const stored = find.get(keyed.customer, keyed.key) as Stored | undefined;
        if (stored) return replay(stored, keyed);
        const answer = await work(tx);
        remember.run({ ...keyed, status: answer.status, body: JSON.stringify(answer.body), expiresAt: at + ttlMs });
        return { answer, replayed: false };
      }),
  };
}

/** createPostgresIdempotency's statements, prepared on each connection (postgres.ts). */
const PG: Record<'forgetOwn' | 'sweep' | 'claim' | 'find' | 'answer', Prepared> = {
  forgetOwn: { name: 'idempotency-forget-own', text: 'DELETE FROM idempotency_keys WHERE customer = $1 AND idempotency_key = $2 AND expires_at <= $3' },
  sweep: {
    name: 'idempotency-sweep',
    text: 'DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE expires_at <= $1 LIMIT 100 FOR UPDATE SKIP LOCKED)',
  },
  claim: {
    name: 'idempotency-claim',
    text: "INSERT INTO idempotency_keys (customer, idempotency_key, fingerprint, status, body, expires_at) VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT DO NOTHING",
  },
  find: { name: 'idempotency-find', text: 'SELECT fingerprint, status, body FROM idempotency_keys WHERE customer = $1 AND idempotency_key = $2' },
  answer: { name: 'idempotency-answer', text: 'UPDATE idempotency_keys SET status = $3, body = $4 WHERE customer = $1 AND idempotency_key = $2' },
};

/**
 * The same on PostgreSQL, where two replicas may get the same key at the same moment. The
 * key row is inserted first (ON CONFLICT DO NOTHING): the unique key makes a second insert
 * of it wait until the first transaction ends. The first does the work, fills in the
 * answer and commits, key row and order together; the second then finds the row and
 * replays it. Had the first rolled back, the second's insert goes through and it does the
 * work itself. Expired keys are swept a few at a time, skipping rows another transaction
 * holds, so the sweep never waits nor deadlocks.
 */
export function createPostgresIdempotency(pool: Pool, options: Partial<IdempotencyOptions> = {}): Idempotency {
  const { ttlMs, now } = { ...defaults, ...options };
  return {
    once: (keyed, work) =>
      postgresTransaction(pool, async (tx) => {
        const query = queryOn(pool, tx);
        const at = now();
        await query(PG.forgetOwn, [keyed.customer, keyed.key, at]);
        await query(PG.sweep, [at]);
        const claimed = await query(PG.claim, [keyed.customer, keyed.key, keyed.fingerprint, at + ttlMs]);
        if (claimed.rowCount === 0) {
          const { rows } = await query<Stored>(PG.find, [keyed.customer, keyed.key]);
          // Gone between the two statements (expired and swept by another request): a busy
          // database as far as the client knows; its retry (writes.ts) starts afresh.
          if (!rows[0]) throw Object.assign(new Error('idempotency key vanished; try again'), { severity: 'ERROR', code: '40001' });
          return replay(rows[0], keyed);
        }
        const answer = await work(tx);
        await query(PG.answer, [keyed.customer, keyed.key, answer.status, JSON.stringify(answer.body)]);
        return { answer, replayed: false };
      }),
  };
}
