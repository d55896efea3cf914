import { Server as NetServer, type Socket } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createHttpTerminator } from 'http-terminator';
import { errorBody, statusOf } from '@toasties/contract';

/**
 * Once draining has started, how long a request's body may take to arrive (from the drain's
 * start, or the request's, whichever is later) before it is refused. Long enough for a
 * client that sends its headers and its body in two packets; short enough that a client
 * that stopped sending cannot hold the drain to its deadline.
 */
export const BODY_GRACE_MS = 1000;

export interface DrainOptions {
  /** How long a keep-alive connection that carries no request may stay open once draining starts. */
  readonly idleGraceMs: number;
}

export interface Drainer {
  /** Stop accepting, answer what arrives with `Connection: close`, then terminate. Resolves when every connection is gone. */
  drain(options: DrainOptions): Promise<void>;
}

/**
 * Keep-alive-safe draining.
 *
 * `server.close()` (Node ≥ 19) and http-terminator both destroy "idle" keep-alive
 * connections at once. But a connection is only idle as far as the server knows: the
 * client may already have sent its next request on it, and that request is then reset.
 *
 * So draining happens in two steps:
 * 1. close only the listening socket (no new connections; in a cluster worker, the
 *    primary stops routing to it), and answer every request that still arrives on an
 *    existing connection, with `Connection: close` set before the app answers, so clients
 *    reconnect elsewhere; wait until every connection has closed, or for `idleGraceMs`
 *    (by default the keep-alive timeout plus a second: well-behaved clients close first).
 * 2. then hand over to http-terminator, bounded: connections idle for the whole grace
 *    period are destroyed, in-flight requests get `inFlightTimeoutMs` (given at
 *    creation) to finish before theirs are destroyed too.
 *
 * A request whose body has not arrived is not in-flight work: no handler has acted on it
 * (express reads the whole body first), but a client that stops sending would hold the
 * drain until the deadline, and the exit code would say 1. Throughout the drain such a
 * request gets BODY_GRACE_MS for its body, then 503 `shutting_down` with Connection: close
 * (the connection closes): the client may send it again, to a server that is staying.
 */
export function createDrainer(server: Server, inFlightTimeoutMs: number): Drainer {
  // Created now, so that it sees every connection open (it tracks them from here on).
  const terminator = createHttpTerminator({ server, gracefulTerminationTimeout: inFlightTimeoutMs });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  let draining = false;
  /** Requests not answered yet. */
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

/** Refuse the request if its body has not arrived within BODY_GRACE_MS (see createDrainer). */
function boundBody(req: IncomingMessage, res: ServerResponse): void {
  const timer = setTimeout(() => {
    if (req.complete || res.writableEnded) return;
    if (res.headersSent) return void res.destroy(); // already answering: nothing left to say, only to close
    const body = `${JSON.stringify(errorBody('shutting_down', 'the server is shutting down and the request body did not arrive in time; send it again'))}\n`; // a newline, like every JSON answer
    res.writeHead(statusOf('shutting_down'), { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    res.end(body);
  }, BODY_GRACE_MS);
  res.once('close', () => clearTimeout(timer));
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}
