import cluster, { type Worker } from 'node:cluster';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { errorBody, statusOf, type ErrorCode } from '@toasties/contract';
import { isProcessMessage, type ConnectionMessage } from './cluster-messages';
import { listen } from './listen';

export interface ConnectionTakers {
  /** The workers that may take a new connection now. */
  takers(): Worker[];
  /** Whether the service is shutting down (what a connection nobody takes is told). */
  readonly stopping: boolean;
}

/** What a client is told to wait before trying again when no worker can take its request. */
const RETRY_AFTER_SECONDS = 1;

/**
 * How long a connection that no worker can take waits for one before the primary answers it:
 * a worker that is a moment away (a replacement starting, a brief gap between workers) serves
 * it instead of a 503. Bounded, so a crash storm is still answered promptly.
 */
const WAIT_FOR_A_WORKER_MS = 1000;
const RECHECK_MS = 20;

/**
 * The primary holds the port for as long as it lives and hands each connection to a worker,
 * in turn. node:cluster's own round robin does the same, but closes the port when its last
 * worker is gone: a crash storm (or the OOM killer taking every worker) then refused
 * connections until a worker listened again. Here a connection that no worker can take is
 * answered by the primary itself: 503 `no_workers` (or `shutting_down`) with Retry-After.
 */
export async function holdPort(port: number, host: string, workers: ConnectionTakers): Promise<{ server: Server; port: number }> {
  const answerItself = createHttpServer((req, res) => {
    const code: ErrorCode = workers.stopping ? 'shutting_down' : 'no_workers';
    const body = `${JSON.stringify(errorBody(code, workers.stopping ? 'the service is shutting down; try again elsewhere' : 'no worker is serving right now; try again shortly'))}\n`;
    req.resume();
    res.writeHead(statusOf(code), { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Retry-After': String(RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store', Connection: 'close' });
    res.end(body);
  });
  let turn = 0;
  let nextId = 0;
  /** Connections sent to a worker that has not said it took them: the primary's copy stays open until it does. */
  const inTransit = new Map<number, { socket: Socket; worker: Worker }>();
  const answer = (socket: Socket): void => {
    answerItself.emit('connection', socket);
    socket.resume();
  };
  /** The next taker in turn; one that cannot be sent to (it just died) passes the connection on. */
  const handOver = (socket: Socket, tried: number, waitUntil = Date.now() + WAIT_FOR_A_WORKER_MS): void => {
    const takers = workers.stopping ? [] : workers.takers();
    if (tried >= takers.length) {
      if (workers.stopping || socket.destroyed || Date.now() >= waitUntil) return answer(socket);
      setTimeout(() => handOver(socket, 0, waitUntil), RECHECK_MS);
      return;
    }
    const worker = takers[turn++ % takers.length]!;
    const id = nextId++;
    const message: ConnectionMessage = { toasties: 'connection', id };
    inTransit.set(id, { socket, worker });
    worker.send(message, socket, { keepOpen: true }, (error) => {
      if (!error) return;
      inTransit.delete(id);
      handOver(socket, tried + 1, waitUntil);
    });
  };
  cluster.on('message', (_worker: Worker, message: unknown) => {
    if (!isProcessMessage(message, 'took')) return;
    inTransit.get(message.id)?.socket.destroy(); // the worker's copy serves it
    inTransit.delete(message.id);
  });
  // A worker killed with connections on their way to it: each goes to another, or is answered here.
  cluster.on('exit', (dead: Worker) => {
    for (const [id, { socket, worker }] of inTransit) {
      if (worker !== dead) continue;
      inTransit.delete(id);
      handOver(socket, 0);
    }
  });
  // Paused: not a byte is read here from a connection a worker will serve.
  const server = createServer({ pauseOnConnect: true }, (socket) => handOver(socket, 0));
  const bound = await listen(server, port, host);
  return { server, port: bound.port };
}
