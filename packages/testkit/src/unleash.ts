import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { PostgresServer } from './postgres';
import { spawnProcess, type RunningProcess } from './process';
import { freePort } from './service';
import { checkTool, describeWithTool, type SystemTool } from './system-tool';
import { waitFor } from './wait-for';

/** unleash-server is no workspace's dependency (so `npm ci` stays light): .ci/run installs it into
 * UNLEASH_SERVER_HOME (~/.cache/toasties/unleash-server). It keeps its data in the test's PostgreSQL. */
export const UNLEASH_SERVER_VERSION = '7.5.1'; // the last minor that runs on Node 20 (7.6 needs 22)

export function unleashServerHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.UNLEASH_SERVER_HOME ?? join(homedir(), '.cache', 'toasties', 'unleash-server');
}

/** The server's entry point (an ES module that starts it from its environment). */
function serverScript(env: NodeJS.ProcessEnv): string {
  return join(unleashServerHome(env), 'node_modules', 'unleash-server', 'dist', 'server.js');
}

export const UNLEASH_TOOL: SystemTool = {
  command: 'unleash-server',
  install: `npm install --prefix ~/.cache/toasties/unleash-server --omit=dev --ignore-scripts unleash-server@${UNLEASH_SERVER_VERSION}`,
  locate: (env) => (existsSync(serverScript(env)) ? serverScript(env) : undefined),
};

export function describeWithUnleash(tools: readonly SystemTool[], name: string, body: () => void): void {
  describeWithTool([...tools, UNLEASH_TOOL], name, body);
}

export interface UnleashServer {
  readonly process: RunningProcess;
  /** Where the client API is: what a service's UNLEASH_URL says. */
  readonly apiUrl: string;
  /** A client token of the `development` environment: what a service's UNLEASH_API_TOKEN says. */
  readonly clientToken: string;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

// Tokens the server creates at its first start (INIT_*_API_TOKENS): test values, never secrets.
const ADMIN_TOKEN = '*:*.toasties-admin-token-for-tests';
const CLIENT_TOKEN = 'default:development.toasties-client-token-for-tests';

export async function startUnleash(postgres: PostgresServer): Promise<UnleashServer> {
  const check = checkTool(UNLEASH_TOOL);
  if (check.verdict !== 'run') throw new Error(`unleash-server is not installed: ${UNLEASH_TOOL.install}`);
  const databaseUrl = await postgres.createDatabase();
  const port = await freePort();
  const server = spawnProcess(process.execPath, [check.path], {
    DATABASE_URL: databaseUrl,
    DATABASE_SSL: 'false',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
    INIT_ADMIN_API_TOKENS: ADMIN_TOKEN,
    INIT_CLIENT_API_TOKENS: CLIENT_TOKEN,
    LOG_LEVEL: 'warn',
    CHECK_VERSION: 'false',
    SEND_TELEMETRY: 'false',
  });
  const url = `http://127.0.0.1:${port}`;
  // Its first start migrates the database: slow on a busy machine.
  try {
    await waitFor(async () => (await fetch(`${url}/health`).catch(() => undefined))?.ok === true, { timeoutMs: 180_000, what: `unleash-server on port ${port}` });
  } catch (error) {
    throw new Error(`${(error as Error).message}\nits output:\n${server.output()}`, { cause: error });
  }
  return {
    process: server,
    apiUrl: `${url}/api`,
    clientToken: CLIENT_TOKEN,
    async admin(method, path, body) {
      const res = await fetch(`${url}/api/admin${path}`, {
        method,
        headers: { authorization: ADMIN_TOKEN, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: kept as text
      }
      return { status: res.status, body: parsed };
    },
    async stop() {
      await server.stop();
    },
  };
}
