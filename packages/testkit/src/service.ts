import { createServer } from 'node:net';
import { LOG_MESSAGES, replacementComplete, replacementStopped } from '@toasties/contract';
import { spawnProcess, type RunningProcess, type SpawnOptions } from './process';
import { waitFor } from './wait-for';

export interface RunningService extends RunningProcess {
  readonly port: number;
  readonly url: string;
}

/** By default PORT=0 (the kernel picks, so tests never race for a port), waiting for the "listening" line
 * that names it; with a PORT of your own (a quiet LOG_LEVEL prints no such line), for /health instead. */
export async function startService(mainScript: string, env: NodeJS.ProcessEnv = {}, args: readonly string[] = [], options: SpawnOptions = {}): Promise<RunningService> {
  const proc = spawnProcess(process.execPath, [...args, mainScript], { PORT: '0', LOG_FORMAT: 'json', ...env }, options);
  let port = Number(env.PORT ?? 0);
  if (port === 0) {
    port = (JSON.parse(await proc.waitForLine(logLine(LOG_MESSAGES.listening))) as { port: number }).port;
  } else {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok, { timeoutMs: 60_000, what: `${mainScript} on port ${port}` });
  }
  return { ...proc, port, url: `http://127.0.0.1:${port}` };
}

/** A port that was free a moment ago (for the rare caller that must choose one itself). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** SIGHUP to a clustered service's primary: resolves on "reload complete", rejects on "reload stopped". */
export async function reloadService(service: RunningProcess, timeoutMs = 60_000): Promise<void> {
  const outcome = service.waitForNextLine(logLine(replacementComplete('reload'), replacementStopped('reload')), timeoutMs);
  service.child.kill('SIGHUP');
  if (logLine(replacementStopped('reload')).test(await outcome)) throw new Error(`pid ${service.pid}: a new worker did not become ready, the reload stopped`);
}

/** A JSON log line whose `msg` is one of `messages` (@toasties/contract's LOG_MESSAGES…), exactly. */
export function logLine(...messages: readonly string[]): RegExp {
  const escaped = messages.map((message) => JSON.stringify(message).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`"msg":(${escaped.join('|')})`);
}
