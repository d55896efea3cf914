import { openDatabase } from '@toasties/chillybin';
import { describeEachBackend, freshDatabasePath, startPostgres, type Backend, type PostgresServer } from '@toasties/testkit';

/** A fresh chillybin database on one backend, for chillybin processes to run on. */
export interface ChillybinDatabase {
  readonly backend: Backend;
  /** What points chillybin at it: DATABASE_PATH or DATABASE_URL. */
  readonly env: NodeJS.ProcessEnv;
  /** The rows of a read-only query (the same SQL on both; PostgreSQL's counts and sums come back as strings: Number() them). */
  rows<R extends object>(sql: string): Promise<R[]>;
}

/**
 * Waits for a test about what is kept, not how fast: a write that waits past its budget (a
 * lock, a pool's connection) is answered 503 database_busy, by design, and on a starved
 * machine (load 9 on 2 cores: PostgreSQL's v2 orders queue on two hot rows) the defaults
 * (1 s, then 1.5 s of retries) were passed a few times a run. Generous waits make such a
 * machine slower, not red; what the tests check does not depend on them.
 */
export const PATIENT_WAITS: NodeJS.ProcessEnv = {
  SQLITE_LOCK_WAIT_MS: '10000',
  DATABASE_STATEMENT_TIMEOUT_MS: '10000',
  DATABASE_CONNECT_TIMEOUT_MS: '10000',
  DATABASE_RETRY_WINDOW_MS: '20000',
  // What the callers wait, which chillybin's waits must fit in (it refuses to start otherwise).
  CHILLYBIN_TIMEOUT_MS: '60000',
};

/** `label` names the file (PostgreSQL's databases are numbered). */
function freshSqlite(label: string): Promise<ChillybinDatabase> {
  const path = freshDatabasePath(label);
  return Promise.resolve({
    backend: 'sqlite',
    env: { DATABASE_PATH: path },
    async rows<R extends object>(sql: string) {
      const db = openDatabase(path, { synchronous: 'NORMAL' }); // to read: the setting does not matter
      try {
        return db.prepare(sql).all() as R[];
      } finally {
        db.close();
      }
    },
  });
}

// One PostgreSQL server per test file, started on first use; chillybin processes are
// killed and restarted around it, it keeps running (stopAllProcesses, or the file's
// clean-up, ends it with them).
let server: Promise<PostgresServer> | undefined;
const postgresServer = () => (server ??= startPostgres());

async function freshPostgres(): Promise<ChillybinDatabase> {
  const postgres = await postgresServer();
  const url = await postgres.createDatabase();
  const name = new URL(url).pathname.slice(1);
  return { backend: 'postgres', env: { DATABASE_URL: url }, rows: <R extends object>(sql: string) => postgres.query<R>(sql, [], name) };
}

/**
 * The same end-to-end tests with chillybin on a fresh SQLite file and on a fresh database of
 * a real PostgreSQL server (skipped with one line where there is none, failed under CI).
 */
export function describeBackends(name: string, body: (freshDatabase: (label: string) => Promise<ChillybinDatabase>) => void): void {
  describeEachBackend(name, (backend) => {
    if (backend === 'postgres') beforeAll(postgresServer, 120_000); // its start-up outside the tests' own time limits
    body(backend === 'sqlite' ? freshSqlite : freshPostgres);
  });
}
