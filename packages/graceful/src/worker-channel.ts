import cluster from 'node:cluster';
import { Socket, type Server } from 'node:net';
import { isProcessMessage, type DrainingMessage, type ListenFailedMessage, type ReadyMessage, type TookMessage } from './cluster-messages';
import type { ClusterStatus } from './cluster-status';
import { urlOf } from './listen';
import type { Shutdown } from './shutdown';

/** Resolves once the message is on its way (or the primary is gone): a worker about to exit must not lose it. */
export function tellPrimary(message: ReadyMessage | DrainingMessage | ListenFailedMessage | TookMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || !process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

export interface Membership {
  readonly version: string;
  readonly shutdown: Shutdown;
  /** Where the primary's announcements are kept; none: they are not. */
  readonly clusterStatus: ClusterStatus | undefined;
}

/**
 * A listening worker's side of the cluster channel: hear who is serving, leave when the
 * primary has gone, and tell the primary we are ready (cluster.ts then counts us in).
 */
export function joinCluster({ version, shutdown, clusterStatus }: Membership): void {
  // A primary that died (kill -9) routes nothing to us any more, but the requests we hold
  // are still ours to answer: drain them, then go. Node's cluster worker exits at once
  // (code 0, requests dropped) when its channel closes unasked, unless the disconnect was
  // expected; it emits the worker's 'disconnect' just before deciding, so mark it here.
  // The listener is the primary's (closing ours is a no-op now), keep-alive connections
  // are ours: drain.ts answers what still arrives on them with Connection: close.
  cluster.worker?.once('disconnect', () => {
    cluster.worker!.exitedAfterDisconnect = true;
    if (!shutdown.begun) void shutdown.begin('primary gone'); // already draining: carry on (not a "second signal")
  });
  process.on('message', (message: unknown) => {
    if (isProcessMessage(message, 'workers')) clusterStatus?.record(message);
  });
  void tellPrimary({ toasties: 'ready', version });
}

/**
 * In a worker of a primary that holds the port (primary-listener.ts): serve every connection
 * the primary sends, as if this server had accepted it.
 */
export function takeConnections(server: Server, port: number, host: string): { port: number; url: string } {
  process.on('message', (message: unknown, socket: unknown) => {
    if (!isProcessMessage(message, 'connection')) return;
    // A connection its client closed before it was sent arrives with no socket: acknowledged
    // all the same, since the primary sends this worker nothing more until it hears back.
    if (socket instanceof Socket) server.emit('connection', socket);
    void tellPrimary({ toasties: 'took', id: message.id });
  });
  return { port, url: urlOf(host, port) };
}
