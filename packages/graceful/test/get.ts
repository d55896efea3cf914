import { request, type Agent } from 'node:http';

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
