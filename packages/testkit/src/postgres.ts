import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { spawnProcess, type RunningProcess } from './process';
import { freePort } from './service';
import { checkTool, describeWithTool, type SystemTool } from './system-tool';
import { tempDir } from './temp';

/** initdb in a temporary directory, the server on a free loopback port with its socket there too; stopped
 * and removed when the test file ends, pass or fail (jest/environment.js). */

/** Debian keeps the server's programs off PATH, one directory per major version; newest first. */
function postgresBinDirs(root = '/usr/lib/postgresql'): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((version) => /^\d+$/.test(version))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join(root, version, 'bin'));
}

/** The server's programs come together (initdb, postgres): looked for as one, so a missing server is one line. */
export const POSTGRES_TOOL: SystemTool = { command: 'initdb', install: 'apt-get install postgresql', searchDirs: postgresBinDirs() };

/** `describe` for tests that need a PostgreSQL server: skipped with one line without one, failed under CI. */
export function describeWithPostgres(name: string, body: () => void): void {
  describeWithTool(POSTGRES_TOOL, name, body);
}

export type Backend = 'sqlite' | 'postgres';

/** `<name> [sqlite]` and `<name> [postgres]`, the second a describeWithPostgres. */
export function describeEachBackend(name: string, body: (backend: Backend) => void): void {
  describe(`${name} [sqlite]`, () => body('sqlite'));
  describeWithPostgres(`${name} [postgres]`, () => body('postgres'));
}

export function hasPostgres(): boolean {
  return checkTool(POSTGRES_TOOL).verdict === 'run';
}

export interface PostgresServer {
  readonly port: number;
  readonly process: RunningProcess;
  url(database?: string): string;
  /** A new, empty database (or a copy of `template`). */
  createDatabase(name?: string, template?: string): Promise<string>;
  query<R extends object = Record<string, unknown>>(sql: string, values?: unknown[], database?: string): Promise<R[]>;
  /** A fast shutdown (SIGINT), so the next test can start another. */
  stop(): Promise<void>;
  /** On the same port and data (for outage tests). */
  restart(): Promise<void>;
}

const UNPRIVILEGED = 65534; // nobody / nogroup

/**
 * PostgreSQL refuses to run as root, and CI and these machines run tests as root: there,
 * the server's programs run as `nobody` (setpriv, from util-linux, execs in place, so a
 * signal to the process reaches postgres itself), and the data directory belongs to it.
 */
function asServerUser(program: string, args: readonly string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [program, [...args]];
  return ['setpriv', [`--reuid=${UNPRIVILEGED}`, `--regid=${UNPRIVILEGED}`, '--clear-groups', '--', program, ...args]];
}

function tool(command: 'initdb' | 'postgres'): string {
  const check = checkTool(POSTGRES_TOOL);
  if (check.verdict !== 'run') throw new Error(`PostgreSQL is not installed: ${POSTGRES_TOOL.install}`);
  return join(dirname(realpathSync(check.path)), command); // beside the real file, not a link to it
}

/**
 * The server's user must reach its data directory through every directory above it. A
 * private temporary directory of ours (a test run's own TMPDIR, mode 0700) gets the
 * search bit for others: they may pass through to a name they know, not list it.
 */
function letServerUserThrough(dir: string): void {
  for (let parent = dirname(dir); parent !== dirname(parent); parent = dirname(parent)) {
    const { mode, uid } = statSync(parent);
    if (uid === process.getuid?.() && (mode & 0o001) === 0) chmodSync(parent, (mode & 0o7777) | 0o001);
  }
}

let databases = 0;

export interface PostgresServerOptions {
  /** Off (tests): fsync, synchronous_commit and full_page_writes off; the tests kill chillybin, never this
   * server. On (benchmarks): PostgreSQL's shipped durability settings, so the figures mean what production does. */
  readonly durable?: boolean;
}

export async function startPostgres({ durable = false }: PostgresServerOptions = {}): Promise<PostgresServer> {
  const dir = tempDir('postgres');
  const data = join(dir, 'data');
  const sockets = join(dir, 'sockets');
  mkdirSync(sockets);
  if (process.getuid?.() === 0) {
    letServerUserThrough(dir);
    for (const path of [dir, sockets]) chownSync(path, UNPRIVILEGED, UNPRIVILEGED);
  }

  const [initdb, initArgs] = asServerUser(tool('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', ...(durable ? [] : ['--no-sync'])]);
  const init = spawnProcess(initdb, initArgs);
  const initExit = await init.waitForExit(120_000);
  if (initExit.code !== 0) throw new Error(`initdb failed:\n${init.output()}`);

  const port = await freePort();
  // Connections: every test's pool, several workers. deadlock_timeout as
  // k8s/overlays/postgres sets it: a deadlock is found (and retried) sooner.
  const fast = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'shared_buffers=32MB'];
  const settings = [...(durable ? [] : fast), 'max_connections=300', 'deadlock_timeout=200ms'];
  let server: RunningProcess;
  const start = async () => {
    const [postgres, args] = asServerUser(tool('postgres'), ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', sockets, ...settings.flatMap((s) => ['-c', s])]);
    server = spawnProcess(postgres, args);
    await server.waitForLine(/database system is ready to accept connections/, 120_000);
  };
  await start();

  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const query = async <R extends object>(sql: string, values?: unknown[], database?: string): Promise<R[]> => {
    const client = new Client({ connectionString: url(database) });
    await client.connect();
    try {
      return (await client.query<R>(sql, values)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    port,
    get process() {
      return server;
    },
    url,
    async createDatabase(name = `test_${process.pid}_${++databases}`, template = 'template0') {
      await query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      return url(name);
    },
    query,
    async stop() {
      await server.stop('SIGINT', 60_000);
    },
    async restart() {
      await start();
    },
  };
}
