// A worker of the previous release may still talk to a new one during a reload: a field is only ever
// added. Anything on the channel without our `toasties` (node's own, the rate limiter's) is left alone.
import type { WorkerVersion } from '@toasties/contract';

/** Worker → primary: taking connections, and (when asked to wait) ready for traffic. */
export interface ReadyMessage {
  readonly toasties: 'ready';
  readonly version: string;
}

/** Worker → primary: draining; send it no new connection. */
export interface DrainingMessage {
  readonly toasties: 'draining';
}

/** Every worker would fail the same way, so the primary exits rather than replace it. Sent by a worker
 * that listens itself (one forked by a primary that does not hold the port). */
export interface ListenFailedMessage {
  readonly toasties: 'listen-failed';
  readonly address: string;
  readonly code: string;
  readonly message: string;
}

/** Primary → every worker, so any worker's /health can tell. */
export interface WorkersMessage {
  readonly toasties: 'workers';
  readonly workers: readonly WorkerVersion[];
  readonly reloading: boolean;
}

/** Primary → one worker: a client's connection, sent with the message as its handle. */
export interface ConnectionMessage {
  readonly toasties: 'connection';
  readonly id: number;
}

/** Worker → primary; until then the primary keeps the connection, to hand it on if the worker dies.
 * `open`: how many connections the worker holds now, including this one and leaving out those already answered
 * with `Connection: close` (absent from a worker of a release before it was added). */
export interface TookMessage {
  readonly toasties: 'took';
  readonly id: number;
  readonly open?: number;
}

/** Worker → primary, as it starts taking connections and shortly after connections closed: how many it holds,
 * counted as `took`'s `open`. */
export interface ConnectionsMessage {
  readonly toasties: 'connections';
  readonly open: number;
}

/** Primary → a worker holding well over an even share of the connections: the share, which it closes down to;
 * once it is no longer over, its own count, so it closes nothing more. */
export interface ShareMessage {
  readonly toasties: 'share';
  readonly connections: number;
}

export type ProcessMessage = ReadyMessage | DrainingMessage | ListenFailedMessage | WorkersMessage | ConnectionMessage | TookMessage | ConnectionsMessage | ShareMessage;

export function isProcessMessage<K extends ProcessMessage['toasties']>(message: unknown, kind: K): message is Extract<ProcessMessage, { toasties: K }> {
  return (message as { toasties?: unknown } | null)?.toasties === kind;
}

/** Set for a replacement worker: take traffic only once readiness passes. */
export const WAIT_READY_ENV = 'TOASTIES_WAIT_READY';

/** Set to the port by a primary that holds it: the worker listens on nothing and serves what it is sent.
 * Unset (a primary of an older release during a reload), the worker listens through node:cluster. */
export const CONNECTIONS_ENV = 'TOASTIES_CONNECTIONS_FROM_PRIMARY';
