import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { Socket } from 'node:net';
import { isProcessMessage, type ConnectionsMessage, type DrainingMessage, type ListenFailedMessage, type ReadyMessage, type TookMessage } from './cluster-messages';
import type { ClusterStatus } from './cluster-status';
import { shareConnections } from './connection-share';
import { urlOf } from './listen';
import type { Shutdown } from './shutdown';

/** Resolves once the message is on its way (or the primary is gone): a worker about to exit must not lose it. */
export function tellPrimary(message: ReadyMessage | DrainingMessage | ListenFailedMessage | TookMessage | ConnectionsMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || !process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

export interface Membership {
  readonly version: string;
  readonly shutdown: Shutdown;
  readonly clusterStatus: ClusterStatus | undefined;
}

export function joinCluster({ version, shutdown, clusterStatus }: Membership): void {
  // A primary that died (kill -9) routes nothing to us, but the requests we hold are ours to answer. Node's
  // cluster worker exits at once (code 0, requests dropped) when its channel closes unless the disconnect
  // was expected; it emits 'disconnect' just before deciding, so mark it here.
  cluster.worker?.once('disconnect', () => {
    cluster.worker!.exitedAfterDisconnect = true;
    if (!shutdown.begun) void shutdown.begin('primary gone'); // already draining: carry on (not a "second signal")
  });
  process.on('message', (message: unknown) => {
    if (isProcessMessage(message, 'workers')) clusterStatus?.record(message);
  });
  void tellPrimary({ toasties: 'ready', version });
}

/** Serve every connection the primary sends (primary-listener.ts), as if this server had accepted it. */
export function takeConnections(server: Server, port: number, host: string): { port: number; url: string } {
  const share = shareConnections(server, tellPrimary);
  process.on('message', (message: unknown, socket: unknown) => {
    if (!isProcessMessage(message, 'connection')) return;
    // A connection its client closed before it was sent arrives with no socket: acknowledged
    // all the same, since the primary sends this worker nothing more until it hears back.
    if (!(socket instanceof Socket)) return void tellPrimary({ toasties: 'took', id: message.id });
    const open = share.hold(socket);
    server.emit('connection', socket);
    void tellPrimary({ toasties: 'took', id: message.id, open });
  });
  return { port, url: urlOf(host, port) };
}
