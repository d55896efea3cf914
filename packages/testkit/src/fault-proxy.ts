import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** refuse: accept, then close at once (a dead upstream behind a load balancer); delay: hold the request
 * `delayMs`; reset: forward the request, then reset mid-response; error: a 503 from the proxy itself. */
export type Fault = { mode: 'pass' } | { mode: 'refuse' } | { mode: 'delay'; delayMs: number } | { mode: 'reset' } | { mode: 'error'; status?: number };

export interface FaultProxy {
  readonly url: string;
  set(fault: Fault): void;
  /** Connections accepted so far (so a test can tell whether a retry happened). */
  readonly connections: number;
  close(): Promise<void>;
}

/** A real TCP proxy on 127.0.0.1 between a client and `target` (host:port), for fault tests. */
export async function createFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  let fault: Fault = { mode: 'pass' };
  let connections = 0;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };

  const server: Server = createServer((client) => {
    connections += 1;
    track(client);
    const current = fault;
    if (current.mode === 'refuse') return void client.destroy();
    if (current.mode === 'error') {
      const status = current.status ?? 503;
      client.once('data', () => client.end(`HTTP/1.1 ${status} Injected\r\nContent-Type: text/plain\r\nContent-Length: 8\r\nConnection: close\r\n\r\ninjected`));
      return;
    }
    const upstream = connect(target.port, target.host);
    track(upstream);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    const forward = (chunk: Buffer) => upstream.write(chunk);
    // unref: a held-back chunk must not keep a finished test process alive.
    if (current.mode === 'delay') client.on('data', (chunk: Buffer) => setTimeout(() => forward(chunk), current.delayMs).unref());
    else client.on('data', forward);
    upstream.on('data', (chunk: Buffer) => {
      if (current.mode === 'reset') {
        client.write(chunk.subarray(0, Math.max(1, Math.floor(chunk.length / 2))));
        client.resetAndDestroy();
        return;
      }
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    set: (next) => {
      fault = next;
      // Kept-alive connections would carry on under the old fault: start afresh.
      for (const socket of sockets) socket.destroy();
    },
    get connections() {
      return connections;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
