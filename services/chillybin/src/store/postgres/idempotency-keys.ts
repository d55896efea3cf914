import { recordedOutcome, storedForm, type StoredForm } from '../recorded-outcome';
import type { IdempotencyKeysTable } from '../store';
import { queryOn, type Prepared, type Queryable } from './pool';

const PG: Record<'holdAndForget' | 'claim' | 'find' | 'record' | 'sweep', Prepared> = {
  // The key's advisory lock first (waited for when $4, else only tried), then the key forgotten if expired.
  holdAndForget: {
    name: 'idempotency-hold-and-forget',
    text: `WITH lock AS (SELECT hashtext($1) AS customer, hashtext($2) AS key),
           held AS MATERIALIZED (SELECT CASE WHEN $4::boolean THEN (SELECT true FROM pg_advisory_xact_lock(lock.customer, lock.key)) ELSE pg_try_advisory_xact_lock(lock.customer, lock.key) END AS held FROM lock),
           forgotten AS (DELETE FROM idempotency_keys WHERE (SELECT held FROM held) AND customer = $1 AND idempotency_key = $2 AND expires_at <= $3)
           SELECT held FROM held`,
  },
  claim: {
    name: 'idempotency-claim',
    text: "INSERT INTO idempotency_keys (customer, idempotency_key, fingerprint, status, body, expires_at) VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT DO NOTHING",
  },
  find: { name: 'idempotency-find', text: 'SELECT fingerprint, status, body FROM idempotency_keys WHERE customer = $1 AND idempotency_key = $2' },
  record: { name: 'idempotency-record', text: 'UPDATE idempotency_keys SET status = $3, body = $4 WHERE customer = $1 AND idempotency_key = $2' },
  // SKIP LOCKED: the sweep never waits nor deadlocks.
  sweep: {
    name: 'idempotency-sweep',
    text: 'DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)',
  },
};

/** A key another transaction holds, met in a shared transaction: those writes go one by one. */
export class KeyHeldElsewhere extends Error {
  constructor() {
    super('the idempotency key is held by another transaction');
    this.name = 'KeyHeldElsewhere';
  }
}

/**
 * Two replicas may get the same key at once: the key's advisory lock makes the second claim
 * wait for the first transaction to end, then find its row. With `wait` false (a shared
 * transaction holding stock rows) a held key is thrown instead, so no one waits in a circle.
 */
export function postgresIdempotencyKeys(on: Queryable, { wait }: { readonly wait: boolean }): IdempotencyKeysTable {
  const query = queryOn(on);
  return {
    async claim({ customer, key, fingerprint }, now, expiresAt) {
      const { rows: lock } = await query<{ held: boolean }>(PG.holdAndForget, [customer, key, now, wait]);
      if (!lock[0]?.held) throw new KeyHeldElsewhere();
      const claimed = await query(PG.claim, [customer, key, fingerprint, expiresAt]);
      if (claimed.rowCount === 1) return { kind: 'new' };
      const { rows } = await query<StoredForm & { fingerprint: string }>(PG.find, [customer, key]);
      // Expired and swept between the two statements: a busy database; the retry starts afresh.
      if (!rows[0]) throw Object.assign(new Error('idempotency key vanished; try again'), { severity: 'ERROR', code: '40001' });
      return { kind: 'recorded', fingerprint: rows[0].fingerprint, outcome: recordedOutcome(rows[0]) };
    },
    async record({ customer, key }, outcome) {
      const { status, body } = storedForm(outcome);
      await query(PG.record, [customer, key, status, body]);
    },
    async sweep(now, limit) {
      return (await query(PG.sweep, [now, limit])).rowCount ?? 0;
    },
  };
}
