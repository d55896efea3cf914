import { recordedOutcome, storedForm, type StoredForm } from '../recorded-outcome';
import type { IdempotencyKeysTable, KeyClaim } from '../store';
import { OneByOne } from './lockstep';
import { queryOn, type Prepared, type Queryable } from './pool';

const PG: Record<'holdAndForget' | 'claim' | 'claimAll' | 'find' | 'record' | 'recordAll' | 'sweep', Prepared> = {
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
  // Every key's advisory lock only tried (a shared transaction), then those not yet here claimed; a
  // key already here is left for `claim` (it may have expired). One row with `held`, and one per claimed key.
  claimAll: {
    name: 'idempotency-claim-all',
    text: `WITH wanted AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS w (customer, idempotency_key, fingerprint, expires_at, n)),
           held AS MATERIALIZED (SELECT bool_and(pg_try_advisory_xact_lock(hashtext(customer), hashtext(idempotency_key))) AS held FROM wanted),
           claimed AS (INSERT INTO idempotency_keys (customer, idempotency_key, fingerprint, status, body, expires_at)
                       SELECT customer, idempotency_key, fingerprint, 0, '', expires_at FROM wanted, held WHERE held.held ORDER BY n
                       ON CONFLICT DO NOTHING RETURNING customer, idempotency_key)
           SELECT held.held, claimed.customer, claimed.idempotency_key FROM held LEFT JOIN claimed ON true`,
  },
  find: { name: 'idempotency-find', text: 'SELECT fingerprint, status, body FROM idempotency_keys WHERE customer = $1 AND idempotency_key = $2' },
  record: { name: 'idempotency-record', text: 'UPDATE idempotency_keys SET status = $3, body = $4 WHERE customer = $1 AND idempotency_key = $2' },
  recordAll: {
    name: 'idempotency-record-all',
    text: `UPDATE idempotency_keys AS k SET status = r.status, body = r.body
           FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) AS r (customer, idempotency_key, status, body)
           WHERE k.customer = r.customer AND k.idempotency_key = r.idempotency_key`,
  },
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

type Claim = Parameters<IdempotencyKeysTable['claim']>;

/**
 * `claim` and `record` for the keys of several writes of a shared transaction, one statement
 * each. A key asked for twice in one transaction is `OneByOne`: the second must find what the
 * first recorded, so the first goes first, whole.
 */
export function keysTogether(on: Queryable, alone: IdempotencyKeysTable) {
  const query = queryOn(on);
  const claimed = new Set<string>();
  return {
    async claimAll(claims: readonly Claim[]): Promise<KeyClaim[]> {
      for (const [{ customer, key }] of claims) {
        const name = JSON.stringify([customer, key]);
        if (claimed.has(name)) throw new OneByOne();
        claimed.add(name);
      }
      const keyed = claims.map(([one]) => one);
      const { rows } = await query<{ held: boolean; customer: string | null; idempotency_key: string | null }>(PG.claimAll, [
        keyed.map((one) => one.customer),
        keyed.map((one) => one.key),
        keyed.map((one) => one.fingerprint),
        claims.map(([, , expiresAt]) => expiresAt),
      ]);
      if (!rows[0]?.held) throw new KeyHeldElsewhere();
      const fresh = new Set(rows.map((row) => JSON.stringify([row.customer, row.idempotency_key])));
      const answers: KeyClaim[] = [];
      for (const claim of claims) answers.push(fresh.has(JSON.stringify([claim[0].customer, claim[0].key])) ? { kind: 'new' } : await alone.claim(...claim));
      return answers;
    },
    async recordAll(records: readonly Parameters<IdempotencyKeysTable['record']>[]): Promise<void[]> {
      const stored = records.map(([keyed, outcome]) => ({ ...keyed, ...storedForm(outcome) }));
      await query(PG.recordAll, [stored.map((one) => one.customer), stored.map((one) => one.key), stored.map((one) => one.status), stored.map((one) => one.body)]);
      return records.map(() => undefined);
    },
  };
}
