import type { AddressInfo, Server } from 'node:net';
import type { LogWriter } from '@toasties/observability/log-writer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Before a replacement worker listens: wait until the service says it could serve, so a
 * broken release never receives a request. The primary gives up on this worker (and
 * kills it) if this takes too long (cluster.ts).
 */
export async function waitForReadiness(readiness: () => Promise<boolean>, logger: LogWriter<'info'>): Promise<void> {
  logger.info({}, 'waiting for readiness before taking traffic');
  while (!(await readiness().catch(() => false))) await sleep(100);
}

/** Listen on host:port; resolves with the port bound (port 0: any free one) and the URL to reach it; rejects with node's error. */
export async function listen(server: Server, port: number, host: string): Promise<{ port: number; url: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return { port: bound, url: urlOf(host, bound) };
}

/** Where a client reaches host:port. */
export const urlOf = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
