import { Server as NetServer, type Socket } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createHttpTerminator } from 'http-terminator';
import { errorBody, statusOf } from '@toasties/contract';

/** Long enough for a client sending headers and body in two packets; short enough that one that stopped
 * sending cannot hold the drain to its deadline. */
export const BODY_GRACE_MS = 1000;

export interface DrainOptions {
  readonly idleGraceMs: number;
}

export interface Drainer {
  drain(options: DrainOptions): Promise<void>;
}

// server.close() and http-terminator destroy "idle" keep-alive connections at once, but the client may
// already have sent its next request on one. So: close only the listener and answer what still arrives
// with `Connection: close` until every connection closes or `idleGraceMs` passes; then http-terminator.
// A request whose body has not arrived gets BODY_GRACE_MS, then 503 `shutting_down`: no handler has
// acted on it, and a client that stopped sending must not hold the drain to its deadline.
export function createDrainer(server: Server, inFlightTimeoutMs: number): Drainer {
  // Created now, so that it sees every connection open (it tracks them from here on).
  const terminator = createHttpTerminator({ server, gracefulTerminationTimeout: inFlightTimeoutMs });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  let draining = false;
  const open = new Map<IncomingMessage, ServerResponse>();
  // Prepended, so it runs before the app: a synchronous handler (a better-sqlite3 pick)
  // has sent its headers by the time a listener added after it would run.
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    open.set(req, res);
    res.once('close', () => open.delete(req));
    if (draining) {
      res.setHeader('Connection', 'close');
      boundBody(req, res);
    }
  });

  return {
    async drain({ idleGraceMs }) {
      draining = true;
      for (const [req, res] of open) boundBody(req, res);
      // net.Server#close, not http.Server#close: the listener closes, the connections stay.
      NetServer.prototype.close.call(server);
      await waitUntil(() => sockets.size === 0, idleGraceMs);
      if (sockets.size === 0) return;
      await terminator.terminate().catch((error: NodeJS.ErrnoException) => {
        // Its last step closes the listener, which is already closed: that is fine.
        if (error.code !== 'ERR_SERVER_NOT_RUNNING') throw error;
      });
    },
  };
}

function boundBody(req: IncomingMessage, res: ServerResponse): void {
  const timer = setTimeout(() => {
    if (req.complete || res.writableEnded) return;
    if (res.headersSent) return void res.destroy(); // already answering: nothing left to say, only to close
    const body = `${JSON.stringify(errorBody('shutting_down', 'the server is shutting down and the request body did not arrive in time; send it again'))}\n`;
    res.writeHead(statusOf('shutting_down'), { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    res.end(body);
  }, BODY_GRACE_MS);
  res.once('close', () => clearTimeout(timer));
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}
