import type { AddressInfo, Server } from 'node:net';
import type { LogWriter } from '@toasties/observability/log-writer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** So a broken release never receives a request; the primary kills a worker that waits too long (cluster.ts). */
export async function waitForReadiness(readiness: () => Promise<boolean>, logger: LogWriter<'info'>): Promise<void> {
  logger.info({}, 'waiting for readiness before taking traffic');
  while (!(await readiness().catch(() => false))) await sleep(100);
}

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

export const urlOf = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
