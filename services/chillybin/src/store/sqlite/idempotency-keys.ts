import type { Db } from '../../db';
import { prepared } from './prepared';
import { recordedOutcome, storedForm, type StoredForm } from '../recorded-outcome';
import type { IdempotencyKeysTable } from '../store';

/** The write transaction's lock (BEGIN IMMEDIATE) is the key's lock. */
export function sqliteIdempotencyKeys(db: Db): IdempotencyKeysTable {
  const forgetOwn = prepared(db, 'DELETE FROM idempotency_keys WHERE customer = ? AND idempotency_key = ? AND expires_at <= ?');
  const find = prepared(db, 'SELECT fingerprint, status, body FROM idempotency_keys WHERE customer = ? AND idempotency_key = ?');
  const claim = prepared(db, "INSERT INTO idempotency_keys (customer, idempotency_key, fingerprint, status, body, expires_at) VALUES (?, ?, ?, 0, '', ?)");
  const record = prepared(db, 'UPDATE idempotency_keys SET status = @status, body = @body WHERE customer = @customer AND idempotency_key = @key');
  const sweep = prepared(db, 'DELETE FROM idempotency_keys WHERE rowid IN (SELECT rowid FROM idempotency_keys WHERE expires_at <= ? LIMIT ?)');

  return {
    async claim({ customer, key, fingerprint }, now, expiresAt) {
      forgetOwn().run(customer, key, now);
      const found = find().get(customer, key) as (StoredForm & { fingerprint: string }) | undefined;
      if (found) return { kind: 'recorded', fingerprint: found.fingerprint, outcome: recordedOutcome(found) };
      claim().run(customer, key, fingerprint, expiresAt);
      return { kind: 'new' };
    },
    async record({ customer, key }, outcome) {
      record().run({ customer, key, ...storedForm(outcome) });
    },
    async sweep(now, limit) {
      return sweep().run(now, limit).changes;
    },
  };
}
