import { request, type Agent } from 'node:http';
import { join } from 'node:path';
import { LOG_MESSAGES } from '@toasties/contract';
import { logLine, spawnProcess, waitFor } from '@toasties/testkit';

/** fixtures/held-port-server.js, once its primary listens and both its workers are ready. */
export async function startHeldPortServer(env: NodeJS.ProcessEnv = {}) {
  const server = spawnProcess(process.execPath, [join(__dirname, 'fixtures', 'held-port-server.js')], env);
  const { port } = JSON.parse(await server.waitForLine(logLine(LOG_MESSAGES.listening))) as { port: number };
  await waitFor(() => server.output().split('"msg":"worker ready"').length - 1 >= 2, { what: 'both workers ready' });
  return { server, port };
}

/** A GET's answer body (the fixtures name the worker's pid in it): a connection of its own, or one of `agent`'s. */
export function get(port: number, { path = '/', agent = false }: { path?: string; agent?: Agent | false } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}
