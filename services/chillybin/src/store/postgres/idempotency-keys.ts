import { recordedOutcome, storedForm, type StoredForm } from '../recorded-outcome';
import type { IdempotencyKeysTable } from '../store';
import { queryOn, type Prepared, type Queryable } from './pool';

/** The statements, prepared on each connection (pool.ts). */
const PG: Record<'forgetOwn' | 'claim' | 'find' | 'record' | 'sweep', Prepared> = {
  forgetOwn: { name: 'idempotency-forget-own', text: 'DELETE FROM idempotency_keys WHERE customer = $1 AND idempotency_key = $2 AND expires_at <= $3' },
  claim: {
    name: 'idempotency-claim',
    text: "INSERT INTO idempotency_keys (customer, idempotency_key, fingerprint, status, body, expires_at) VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT DO NOTHING",
  },
  find: { name: 'idempotency-find', text: 'SELECT fingerprint, status, body FROM idempotency_keys WHERE customer = $1 AND idempotency_key = $2' },
  record: { name: 'idempotency-record', text: 'UPDATE idempotency_keys SET status = $3, body = $4 WHERE customer = $1 AND idempotency_key = $2' },
  // Rows another transaction holds are skipped, so the sweep never waits nor deadlocks.
  sweep: {
    name: 'idempotency-sweep',
    text: 'DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)',
  },
};

/**
 * The idempotency_keys table on PostgreSQL, where two replicas may get the same key at the
 * same moment. The key row is inserted first (ON CONFLICT DO NOTHING): the unique key makes a
 * second insert of it wait until the first transaction ends. The first records its outcome and
 * commits, key row and order together; the second then finds the row. Had the first rolled
 * back, the second's insert goes through and it is the new one.
 */
export function postgresIdempotencyKeys(on: Queryable): IdempotencyKeysTable {
  const query = queryOn(on);
  return {
    async claim({ customer, key, fingerprint }, now, expiresAt) {
      await query(PG.forgetOwn, [customer, key, now]);
      const claimed = await query(PG.claim, [customer, key, fingerprint, expiresAt]);
      if (claimed.rowCount === 1) return { kind: 'new' };
      const { rows } = await query<StoredForm & { fingerprint: string }>(PG.find, [customer, key]);
      // Gone between the two statements (expired and swept): a busy database as far as the
      // client knows; the store's retry starts afresh.
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
