import type { Client, Pool } from 'pg';
import { databaseFault } from '../../database-faults';

export interface PostgresOptions {
  readonly poolSize: number;
  readonly statementTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly onIdleError?: (error: Error) => void;
}

/** Loaded on first use, so a chillybin on SQLite never loads pg. */
const pg = () => require('pg') as typeof import('pg');

/** How long past statement_timeout the client waits for the server's cancellation (query_timeout). */
export const QUERY_ANSWER_SLACK_MS = 200;

export type PostgresTimeouts = Pick<PostgresOptions, 'statementTimeoutMs' | 'connectTimeoutMs'>;

export function createPool(url: string, options: PostgresOptions): Pool {
  const { Pool } = pg();
  const { poolSize, statementTimeoutMs, connectTimeoutMs, onIdleError } = options;
  const pool = new Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: connectTimeoutMs,
    statement_timeout: statementTimeoutMs,
    lock_timeout: statementTimeoutMs,
    // A transaction left open would hold its row locks forever.
    idle_in_transaction_session_timeout: Math.max(10 * statementTimeoutMs, 10_000),
    // For a server that cannot answer at all; its own timeout fires first.
    query_timeout: statementTimeoutMs + QUERY_ANSWER_SLACK_MS,
    application_name: 'chillybin',
  });
  // Without a listener, an idle connection's error (the server restarted) kills the process.
  pool.on('error', (error) => onIdleError?.(error));
  return pool;
}

/** Prepared once per connection under its name; names are unique across chillybin. */
export interface Prepared {
  readonly name: string;
  readonly text: string;
}

export interface Queryable {
  query: Pool['query'];
}

export function queryOn(on: Queryable) {
  return <R extends object = Record<string, unknown>>(statement: string | Prepared, values?: unknown[]) =>
    on.query<R>(typeof statement === 'string' ? { text: statement, values } : { ...statement, values });
}

/**
 * Readiness's own connection: through the pool it would wait behind requests, and a load
 * spike would look like a database outage.
 */
export interface SideConnection {
  /** Several statements run as one implicit transaction. */
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
      // node-postgres's wording, so it is classified as the database being unavailable.
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

export async function pingPostgres(side: SideConnection): Promise<void> {
  await side.query('SELECT 1');
}

/** A fresh connection, since the pool's may be the ones stuck: for asking whether a COMMIT took effect. */
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
