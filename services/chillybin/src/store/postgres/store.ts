import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool, PoolClient, QueryResult } from 'pg';
import { databaseFault } from '../../database-faults';
import { OutcomeUnknown } from '../../domain-errors';
import { allOrNone, coalesceWhileInFlight, type Pending } from '../coalesce';
import type { Store, Tables, TransactionOptions } from '../store';
import { createWriteRetry, type RetryOptions } from '../write-retry';
import { postgresIdempotencyKeys } from './idempotency-keys';
import { postgresOrders } from './orders';
import { pingPostgres, type Queryable, type SideConnection } from './pool';
import { postgresStock } from './stock';
import { takeSummed } from './summed-takes';
import { postgresWriteProbe } from './write-probe';

export interface PostgresStoreOptions extends RetryOptions {
  /**
   * How long a COMMIT whose answer was lost is asked about (pg_xact_status, on a fresh
   * connection) before the write is answered as unknown.
   */
  readonly commitCheckMs: number;
  /** Most writes one shared transaction carries. */
  readonly maxBatch: number;
  /** Asks the database one question on a connection of its own (pool.ts, askOnFreshConnection). */
  readonly ask: <R extends object>(sql: string, values: unknown[]) => Promise<R[]>;
}

/** `commitCheckMs` and `lockWaitMs` have none: they are settings (DATABASE_COMMIT_CHECK_MS, DATABASE_RETRY_WINDOW_MS), given by the caller. */
export const defaults: Pick<PostgresStoreOptions, 'maxBatch'> = { maxBatch: 64 };

/** A shared transaction in which one write threw: rolled back, its writes go again one by one. */
class TakeEachAlone extends Error {}

/** `shared`: in a transaction several writes share (a held key is not waited for: idempotency-keys.ts). */
const tablesOn = (on: Queryable, shared = false): Tables => ({ stock: postgresStock(on), orders: postgresOrders(on), keys: postgresIdempotencyKeys(on, { wait: !shared }) });

type Work = (t: Tables) => Promise<unknown>;

/**
 * The store over a migrated PostgreSQL database: the pool for the tables, `side` for readiness
 * and the write probe. Each transaction is BEGIN … COMMIT on one pooled connection, READ
 * COMMITTED (a conditional UPDATE re-reads a row another transaction changed).
 *
 * Shared writes go in one transaction without savepoints; when one of them throws, the whole
 * is rolled back and each goes again alone (a rare path: an unknown ingredient, a key another
 * transaction holds, a key reused for another request, a bug). A
 * batch of v1 picks takes their sum in one statement (summed-takes.ts), one by one only
 * when the sum is not there.
 *
 * What a failure means. Before COMMIT is sent nothing can have committed, whatever failed: a
 * statement the server cancelled (its statement_timeout, lock_timeout) or one whose answer
 * never came (the client's query_timeout, a lost connection). A connection that failed is
 * thrown away, never rolled back on: the server ends the transaction when it sees it gone.
 * Only a COMMIT without an answer is in doubt: the store then asks the database about the
 * transaction's id, on a fresh connection, until `commitCheckMs`; what it still cannot learn
 * is OutcomeUnknown, never a fault that says nothing changed.
 */
export function createPostgresStore(pool: Pool, side: SideConnection, options: Pick<PostgresStoreOptions, 'ask' | 'commitCheckMs' | 'lockWaitMs'> & Partial<PostgresStoreOptions>): Store {
  const { commitCheckMs, maxBatch, ask } = { ...defaults, ...options };

  /** Whether the transaction `xid` committed, asked until the window closes. */
  const committed = async (xid: string, lost: unknown): Promise<boolean> => {
    const deadline = performance.now() + commitCheckMs;
    for (;;) {
      const status = await ask<{ status: string | null }>('SELECT pg_xact_status($1::xid8) AS status', [xid]).then(
        (rows) => rows[0]?.status,
        () => undefined,
      );
      if (status === 'committed') return true;
      if (status === 'aborted') return false;
      if (performance.now() + 50 > deadline) throw new OutcomeUnknown({ cause: lost });
      await sleep(50); // 'in progress' (a server not yet through the COMMIT), or no answer
    }
  };

  /** One transaction carrying the batch's writes, each settled once the transaction's fate is known. */
  const runTogether = async (batch: readonly Pending<Work, unknown>[]): Promise<void> => {
    const client: PoolClient = await pool.connect();
    let broken: Error | undefined;
    let values: unknown[] | undefined;
    let xid: string;
    try {
      // One round trip: the id is what a lost COMMIT is asked about.
      const [, begun] = (await client.query('BEGIN; SELECT pg_current_xact_id()::text AS xid')) as unknown as QueryResult<{ xid: string }>[];
      xid = begun!.rows[0]!.xid;
      const writes = batch.map((pending) => pending.write);
      const tables = tablesOn(client, batch.length > 1);
      const summed = batch.length > 1 ? await takeSummed(writes, tables.stock) : 'declined';
      values = summed === 'declined' ? await allOrNone(writes, tables, (error) => databaseFault(error) !== undefined) : summed === 'one threw' ? undefined : summed;
      // One of several threw: none of them is kept, and each goes again alone, in the order
      // they came, to get the answer it would have had alone.
      if (values === undefined) throw new TakeEachAlone();
    } catch (error) {
      if (databaseFault(error) === 'unavailable') broken = error as Error;
      else await client.query('ROLLBACK').catch((failed: unknown) => (broken = failed as Error));
      client.release(broken);
      if (!(error instanceof TakeEachAlone)) throw error; // nothing committed: COMMIT was never sent
      for (const pending of batch) await runTogether([pending]).catch(pending.reject);
      return;
    }
    try {
      await client.query('COMMIT');
    } catch (error) {
      broken = error as Error;
      client.release(broken);
      if (!(await committed(xid, error))) throw error;
    }
    if (!broken) client.release();
    batch.forEach((pending, i) => pending.resolve(values![i]));
  };

  const alone = (work: Work) => new Promise<unknown>((resolve, reject) => void runTogether([{ write: work, resolve, reject }]).catch(reject));
  const shared = coalesceWhileInFlight<Work, unknown>(runTogether, maxBatch);
  const retry = createWriteRetry(() => postgresWriteProbe(side), options);

  return {
    backend: 'postgres',
    transaction: <T>(work: (t: Tables) => Promise<T>, { shared: kind }: TransactionOptions = {}) => retry.run(() => (kind === undefined ? alone(work) : shared(kind, work)) as Promise<T>),
    read: (work) => work(tablesOn(pool)),
    ping: () => pingPostgres(side),
    check: () => retry.check(),
    async close() {
      await Promise.all([pool.end(), side.end()]);
    },
  };
}
