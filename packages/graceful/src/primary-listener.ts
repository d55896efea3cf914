import cluster, { type Worker } from 'node:cluster';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { errorBody, statusOf, type ErrorCode } from '@toasties/contract';
import { isProcessMessage, type ConnectionMessage, type ShareMessage } from './cluster-messages';
import { listen } from './listen';

export interface ConnectionTakers {
  takers(): Worker[];
  /** Whether the service is shutting down (what a connection nobody takes is told). */
  readonly stopping: boolean;
}

const RETRY_AFTER_SECONDS = 1;

/** A worker a moment away (a replacement starting) serves it instead of a 503; bounded, so a crash storm is still answered promptly. */
const WAIT_FOR_A_WORKER_MS = 1000;
const RECHECK_MS = 20;
/** One connection at a time per worker, each acknowledged (worker-channel.ts); past this one is sent more
 * all the same, so a lost acknowledgement slows a worker's share down but never stops it. */
const ACKNOWLEDGE_WITHIN_MS = 10_000;
/** A worker is told its share once it holds more than this many connections over it (or a fifth of it, if more). */
const SHARE_SLACK = 2;

/** node:cluster's round robin closes the port when its last worker is gone, refusing connections; here
 * the primary holds it and answers 503 `no_workers` (or `shutting_down`) itself while no worker can. */
/** `takersChanged`: to be called when a worker becomes ready, since a new worker changes every share. */
export async function holdPort(port: number, host: string, workers: ConnectionTakers): Promise<{ server: Server; port: number; takersChanged: () => void }> {
  const answerItself = createHttpServer((req, res) => {
    const code: ErrorCode = workers.stopping ? 'shutting_down' : 'no_workers';
    const body = `${JSON.stringify(errorBody(code, workers.stopping ? 'the service is shutting down; try again elsewhere' : 'no worker is serving right now; try again shortly'))}\n`;
    req.resume();
    res.writeHead(statusOf(code), { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Retry-After': String(RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store', Connection: 'close' });
    res.end(body);
  });
  let turn = 0;
  let nextId = 0;
  const queued: Array<{ socket: Socket; since: number }> = [];
  /** Connections sent to a worker that has not said it took them: the primary's copy stays open until it does. */
  const inTransit = new Map<number, { socket: Socket; worker: Worker; sentAt: number }>();
  /** Workers a send failed to (exiting): nothing more goes to them. */
  const unreachable = new WeakSet<Worker>();
  /** The connections each worker last said it holds (connection-share.ts), from its start on. A worker of an
   * earlier release (forked after a rollback: workers run the code on disk) says nothing; while one serves,
   * no share can be reckoned, so connections go in turn and nobody is told one. */
  const held = new WeakMap<Worker, number>();
  const allSay = (some: Worker[]) => some.every((worker) => held.has(worker));
  /** What a worker over its share was last told, with the count it was told at. */
  const toldOver = new WeakMap<Worker, { count: number; share: number }>();
  let recheck: NodeJS.Timeout | undefined;

  const answer = (socket: Socket): void => {
    answerItself.emit('connection', socket);
    socket.resume();
  };
  const isBusy = (worker: Worker, now: number) => [...inTransit.values()].some((sent) => sent.worker === worker && now - sent.sentAt < ACKNOWLEDGE_WITHIN_MS);

  /** Among the free workers, to the one holding fewest connections: a replacement starts with none while the
   * worker beside it keeps its clients', and keep-alive clients hold on to whatever split a reload left. */
  const fewestHeld = (free: Worker[]): Worker => {
    if (!allSay(free)) return free[turn++ % free.length]!;
    const least = Math.min(...free.map((worker) => held.get(worker) ?? 0));
    const fewest = free.filter((worker) => (held.get(worker) ?? 0) === least);
    return fewest[turn++ % fewest.length]!;
  };
  /** Only to a free worker: a worker takes a handed-over connection on a turn of its event loop,
   * so a burst sent regardless would queue behind a busy worker while another idles. */
  const dispatch = (): void => {
    while (queued.length > 0) {
      const takers = workers.stopping ? [] : workers.takers().filter((worker) => !unreachable.has(worker));
      if (takers.length === 0) return waitForAWorker();
      const now = Date.now();
      const free = takers.filter((worker) => !isBusy(worker, now));
      if (free.length === 0) return recheckSoon(); // or sooner: a worker's "took" dispatches again
      const { socket } = queued.shift()!;
      if (!socket.destroyed) send(socket, fewestHeld(free));
    }
  };
  const waitForAWorker = (): void => {
    const now = Date.now();
    for (let i = queued.length - 1; i >= 0; i--) {
      const { socket, since } = queued[i]!;
      if (workers.stopping || socket.destroyed || now - since >= WAIT_FOR_A_WORKER_MS) {
        queued.splice(i, 1);
        if (!socket.destroyed) answer(socket);
      }
    }
    if (queued.length > 0) recheckSoon();
  };
  const tellShare = (worker: Worker, connections: number): void => {
    const message: ShareMessage = { toasties: 'share', connections };
    worker.send(message, undefined, () => undefined); // one exiting: nothing to even out
  };
  /** What a new connection cannot fix, a worker holding too many, is told to it: it closes the surplus
   * (connection-share.ts), and those clients' new connections come here, to the worker holding fewest.
   * Looked at whenever a count or the set of workers changes. A worker no longer over its share is told
   * its own count, so a surplus it has not closed yet is not closed later, when nobody needs it. */
  const evenOut = (): void => {
    const takers = workers.takers();
    const counts = takers.map((worker) => held.get(worker) ?? 0);
    const share = Math.ceil(counts.reduce((sum, count) => sum + count, 0) / takers.length);
    takers.forEach((worker, i) => {
      const count = counts[i]!;
      const told = toldOver.get(worker);
      if (takers.length > 1 && allSay(takers) && count - share > Math.max(SHARE_SLACK, share / 5)) {
        if (told?.count === count && told.share === share) return; // it knows, and has closed none since
        toldOver.set(worker, { count, share });
        tellShare(worker, share);
      } else if (told) {
        toldOver.delete(worker);
        tellShare(worker, count);
      }
    });
  };
  const recheckSoon = (): void => {
    recheck ??= setTimeout(() => {
      recheck = undefined;
      dispatch();
    }, RECHECK_MS);
  };
  const send = (socket: Socket, worker: Worker): void => {
    const id = nextId++;
    const message: ConnectionMessage = { toasties: 'connection', id };
    inTransit.set(id, { socket, worker, sentAt: Date.now() });
    worker.send(message, socket, { keepOpen: true }, (error) => {
      if (!error) return;
      unreachable.add(worker);
      inTransit.delete(id);
      queued.unshift({ socket, since: Date.now() });
      dispatch();
    });
  };

  cluster.on('message', (worker: Worker, message: unknown) => {
    if (isProcessMessage(message, 'connections')) {
      held.set(worker, message.open);
      return evenOut();
    }
    if (!isProcessMessage(message, 'took')) return;
    if (message.open !== undefined) held.set(worker, message.open);
    evenOut();
    inTransit.get(message.id)?.socket.destroy(); // the worker's copy serves it
    inTransit.delete(message.id);
    dispatch();
  });
  // A worker killed with connections on their way to it: each goes to another, or is answered here.
  cluster.on('exit', (dead: Worker) => {
    for (const [id, { socket, worker }] of inTransit) {
      if (worker !== dead) continue;
      inTransit.delete(id);
      queued.unshift({ socket, since: Date.now() });
    }
    dispatch();
    evenOut();
  });
  // Paused: not a byte is read here from a connection a worker will serve.
  const server = createServer({ pauseOnConnect: true }, (socket) => {
    queued.push({ socket, since: Date.now() });
    dispatch();
  });
  const bound = await listen(server, port, host);
  return { server, port: bound.port, takersChanged: evenOut };
}
