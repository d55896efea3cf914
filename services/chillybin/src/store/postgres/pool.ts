import type { Client, Pool } from 'pg';
import { databaseFault } from '../../database-faults';

export interface PostgresOptions {
  /** Connections per process (each worker, each replica has its own pool). */
  readonly poolSize: number;
  /**
   * The longest one statement may run, or wait for a row lock, before PostgreSQL cancels
   * it (statement_timeout, lock_timeout). A request never hangs on a stuck database.
   */
  readonly statementTimeoutMs: number;
  /** How long taking a connection may wait: the server unreachable is a prompt 503. */
  readonly connectTimeoutMs: number;
  /** Told when an idle connection breaks (the server restarted): the pool replaces it. */
  readonly onIdleError?: (error: Error) => void;
}

/**
 * node-postgres, loaded when a pool or connection is made: every chillybin loads this module
 * (the tables' code runs their transactions through it), and one on SQLite never opens
 * a connection, so it never pays for pg's ~30 modules at start (docs/performance.md).
 */
const pg = () => require('pg') as typeof import('pg');

/**
 * How long past its statement_timeout the client waits for a statement's answer (the server's
 * cancellation, on its way) before giving up on the server: the client's query_timeout.
 */
export const QUERY_ANSWER_SLACK_MS = 200;

/** The waits a single connection needs. Every value comes from the configuration (config.ts): no default here. */
export type PostgresTimeouts = Pick<PostgresOptions, 'statementTimeoutMs' | 'connectTimeoutMs'>;

/**
 * A pool of connections to DATABASE_URL. A connection that breaks is dropped and the next
 * request opens a new one, so the service recovers by itself when the database is back.
 * Every timeout is set, client side too (query_timeout), so that no request waits on a
 * server that stopped answering.
 */
export function createPool(url: string, options: PostgresOptions): Pool {
  const { Pool } = pg();
  const { poolSize, statementTimeoutMs, connectTimeoutMs, onIdleError } = options;
  const pool = new Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: connectTimeoutMs,
    statement_timeout: statementTimeoutMs,
    lock_timeout: statementTimeoutMs,
    // A transaction left open (a bug, a stalled process) would hold its row locks forever.
    idle_in_transaction_session_timeout: Math.max(10 * statementTimeoutMs, 10_000),
    // The server's own timeout fires first; this one is for a server that cannot answer at all.
    query_timeout: statementTimeoutMs + QUERY_ANSWER_SLACK_MS,
    application_name: 'chillybin',
  });
  // Without a listener, an idle connection's error (the server restarted) kills the process.
  pool.on('error', (error) => onIdleError?.(error));
  return pool;
}

/**
 * A statement each connection parses and plans once, under its name (node-postgres prepares
 * it on the connection's first use), then only binds and runs: the hot path's statements
 * cost the server less CPU for each request. Names are unique across chillybin.
 */
export interface Prepared {
  readonly name: string;
  readonly text: string;
}

/** A connection, or the pool (each statement on any free connection): what the tables run their statements on. */
export interface Queryable {
  query: Pool['query'];
}

/** Run one statement, prepared or plain, on `on`. */
export function queryOn(on: Queryable) {
  return <R extends object = Record<string, unknown>>(statement: string | Prepared, values?: unknown[]) =>
    on.query<R>(typeof statement === 'string' ? { text: statement, values } : { ...statement, values });
}

/**
 * One connection of its own, beside the pool, for readiness (the ping and the probe write).
 * Through the pool, readiness would wait behind the requests whenever every connection is
 * busy, and a load spike would look like a database outage: the pods taken out of service
 * one after the other. Opened on first use; a connection that fails is dropped and the
 * next check opens another, so readiness recovers by itself.
 */
export interface SideConnection {
  /** Run SQL (several statements: one implicit transaction, all or nothing). */
  query(sql: string): Promise<void>;
  end(): Promise<void>;
}

export function createSideConnection(url: string, timeouts: PostgresTimeouts): SideConnection {
  const { Client } = pg();
  const { statementTimeoutMs, connectTimeoutMs } = timeouts;
  let current: Promise<Client> | undefined;
  let ended = false;
  const open = async (): Promise<Client> => {
    const client = new Client({
      connectionString: url,
      connectionTimeoutMillis: connectTimeoutMs,
      statement_timeout: statementTimeoutMs,
      lock_timeout: statementTimeoutMs,
      query_timeout: statementTimeoutMs + QUERY_ANSWER_SLACK_MS,
      application_name: 'chillybin-readiness',
    });
    client.on('error', () => undefined); // the next query fails and drops it
    await client.connect();
    return client;
  };
  const drop = (client?: Client) => {
    current = undefined;
    void client?.end().catch(() => undefined);
  };
  return {
    async query(sql) {
      // As node-postgres words it, so it reads as the database being unavailable.
      if (ended) throw new Error('Client was closed and is not queryable');
      const opening = (current ??= open());
      let client: Client;
      try {
        client = await opening;
      } catch (error) {
        drop();
        throw error;
      }
      try {
        await client.query(sql);
      } catch (error) {
        if (databaseFault(error) === 'unavailable') drop(client);
        throw error;
      }
    },
    async end() {
      ended = true;
      const opening = current;
      current = undefined;
      if (opening) await (await opening.catch(() => undefined))?.end();
    },
  };
}

/** For readiness: rejects if the database cannot answer a query (within the timeouts). */
export async function pingPostgres(side: SideConnection): Promise<void> {
  await side.query('SELECT 1');
}

/**
 * One question on a connection opened for it and closed after: for learning whether a COMMIT
 * whose answer was lost took effect, when the pool's connections may be the ones stuck.
 */
export async function askOnFreshConnection<R extends object>(url: string, timeouts: PostgresTimeouts, sql: string, values: unknown[]): Promise<R[]> {
  const { Client } = pg();
  const { statementTimeoutMs, connectTimeoutMs } = timeouts;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs, statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + QUERY_ANSWER_SLACK_MS, application_name: 'chillybin-commit-check' });
  client.on('error', () => undefined); // the query fails instead
  try {
    await client.connect();
    return (await client.query<R>(sql, values)).rows;
  } finally {
    void client.end().catch(() => undefined);
  }
}
