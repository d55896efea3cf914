import { setTimeout as sleep } from 'node:timers/promises';
import type { Order, PickItem } from '@toasties/contract';
import type { Pool, PoolClient, QueryResult } from 'pg';
import { databaseFault } from '../../database-faults';
import { OutcomeUnknown } from '../../domain-errors';
import { coalesceWhileInFlight, type Pending } from '../coalesce';
import type { IdempotencyKeysTable, Store, Tables, TransactionOptions } from '../store';
import { createWriteRetry, type RetryOptions } from '../write-retry';
import { keysTogether, postgresIdempotencyKeys } from './idempotency-keys';
import { inLockstep, type Together } from './lockstep';
import { addOrders, postgresOrders } from './orders';
import { pingPostgres, type Queryable, type SideConnection } from './pool';
import { postgresStock, takeInTurn } from './stock';
import { postgresWriteProbe } from './write-probe';

export interface PostgresStoreOptions extends RetryOptions {
  readonly commitCheckMs: number;
  readonly maxBatch: number;
  readonly ask: <R extends object>(sql: string, values: unknown[]) => Promise<R[]>;
}

export const defaults: Pick<PostgresStoreOptions, 'maxBatch'> = { maxBatch: 64 };

/** A shared transaction in which one write threw: rolled back, its writes go again one by one. */
class TakeEachAlone extends Error {}

/** In a shared transaction a held key is not waited for (idempotency-keys.ts). */
const tablesOn = (on: Queryable, shared = false): Tables => ({ stock: postgresStock(on), orders: postgresOrders(on), keys: postgresIdempotencyKeys(on, { wait: !shared }) });

type Work = (t: Tables) => Promise<unknown>;

/** The calls a shared batch makes most, one statement for all of a step's. */
function togetherOn(on: Queryable, alone: Tables): Together {
  const keys = keysTogether(on, alone.keys);
  const add = addOrders(on);
  const take = takeInTurn(alone.stock);
  return {
    'keys.claim': (calls) => keys.claimAll(calls as Parameters<IdempotencyKeysTable['claim']>[]),
    'keys.record': (calls) => keys.recordAll(calls as Parameters<IdempotencyKeysTable['record']>[]),
    'orders.add': async (calls) => {
      await add(calls.map(([order]) => order as Order));
      return calls.map(() => undefined);
    },
    'stock.take': (calls) => take(calls.map(([items]) => items as PickItem[])),
  };
}

/**
 * READ COMMITTED: a conditional UPDATE re-reads a row another transaction changed. A connection
 * that failed is thrown away, never rolled back on (the server ends its transaction); only a
 * COMMIT without an answer is in doubt, and is asked about (docs/write-path.md).
 */
export function createPostgresStore(pool: Pool, side: SideConnection, options: Pick<PostgresStoreOptions, 'ask' | 'commitCheckMs' | 'lockWaitMs'> & Partial<PostgresStoreOptions>): Store {
  const { commitCheckMs, maxBatch, ask } = { ...defaults, ...options };

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
      values = batch.length > 1 ? await inLockstep(writes, tables, togetherOn(client, tables), (error) => databaseFault(error) !== undefined) : [await writes[0]!(tables)];
      // None is kept; each goes again alone, in order, to get the answer it would have had alone.
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
