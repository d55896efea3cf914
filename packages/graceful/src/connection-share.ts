import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { isProcessMessage, type ConnectionsMessage } from './cluster-messages';

/** Closes are told in one message at most this often: a client that opens a connection per request costs the channel little. */
const TELL_CLOSES_WITHIN_MS = 100;

export interface ConnectionShare {
  /** A connection the primary handed over; returns how many this worker holds now (those it is closing aside). */
  hold(socket: Socket): number;
}

/**
 * A worker's part in spreading connections evenly (the primary's is in primary-listener.ts): it tells
 * the primary how many it holds, and when told it holds more than its share it answers that many
 * requests with `Connection: close`, so those clients connect again through the primary. Without it,
 * keep-alive clients keep whatever split a reload left, and a replacement starts with none.
 */
export function shareConnections(server: Server, tell: (message: ConnectionsMessage) => unknown): ConnectionShare {
  let open = 0;
  /** How many more to close: set from the primary's share, less each connection answered with `Connection: close`
   * here and each one its client closed. */
  let surplus = 0;
  /** Answered with `Connection: close` and not closed yet: no longer this worker's to keep. */
  const closedHere = new WeakSet<Socket>();
  let closing = 0;
  let closesToTell: NodeJS.Timeout | undefined;
  const closed = (socket: Socket) => {
    open -= 1;
    if (closedHere.has(socket)) closing -= 1;
    else surplus = Math.max(0, surplus - 1);
    closesToTell ??= setTimeout(() => {
      closesToTell = undefined;
      tell({ toasties: 'connections', open: open - closing });
    }, TELL_CLOSES_WITHIN_MS).unref();
  };
  tell({ toasties: 'connections', open: 0 }); // from the start: the primary evens out only among workers that say
  process.on('message', (message: unknown) => {
    if (isProcessMessage(message, 'share')) surplus = Math.max(0, open - closing - message.connections);
  });
  // Before the app's own listener: a synchronous handler has sent its headers by the time a later one runs.
  // A pipelined request waiting behind another has no socket yet and is left alone; one that follows a
  // request answered with `Connection: close` is not answered (drain.ts does the same), which RFC 9112
  // leaves the client to retry: only idempotent requests may be pipelined.
  server.prependListener('request', (_req: unknown, res: ServerResponse) => {
    const socket = res.socket;
    if (surplus === 0 || !socket || closedHere.has(socket)) return;
    surplus -= 1;
    closing += 1;
    closedHere.add(socket);
    res.setHeader('Connection', 'close');
  });
  return {
    hold(socket) {
      open += 1;
      socket.once('close', () => closed(socket));
      return open - closing;
    },
  };
}
