/**
 * What a worker and its primary say to each other over node:cluster's IPC channel. A worker
 * of the previous release may still be talking to a new one during a reload, so the shapes
 * are written down once, here, and a field is only ever added.
 *
 * Every message of ours carries `toasties: <kind>`; anything else on the channel (node's own
 * messages, the rate limiter's and the cluster queries' own) is left alone.
 */
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

/**
 * Worker → primary: this address cannot be listened on (EADDRNOTAVAIL, ENOTFOUND, EADDRINUSE,
 * EACCES…). Every worker would fail the same way, so the primary exits rather than replace it.
 * Sent by a worker that listens itself: one forked by a primary that does not hold the port.
 */
export interface ListenFailedMessage {
  readonly toasties: 'listen-failed';
  /** host:port as configured. */
  readonly address: string;
  readonly code: string;
  readonly message: string;
}

/** Primary → every worker: who is serving now, and whether a reload is under way, so any worker's /health can tell. */
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

/** Worker → primary: it serves connection `id` now; until then the primary keeps it, to hand it on if the worker dies. */
export interface TookMessage {
  readonly toasties: 'took';
  readonly id: number;
}

export type ProcessMessage = ReadyMessage | DrainingMessage | ListenFailedMessage | WorkersMessage | ConnectionMessage | TookMessage;

/** Whether something received on the channel is our message of that kind. */
export function isProcessMessage<K extends ProcessMessage['toasties']>(message: unknown, kind: K): message is Extract<ProcessMessage, { toasties: K }> {
  return (message as { toasties?: unknown } | null)?.toasties === kind;
}

/**
 * Set by the primary in the environment of a worker it forks to replace another: take
 * traffic only once readiness passes, so a broken release never receives a request.
 */
export const WAIT_READY_ENV = 'TOASTIES_WAIT_READY';

/**
 * Set by a primary that holds the port itself, to that port: the worker listens on nothing
 * and serves the connections the primary sends it. Unset (a primary of an older release
 * during a reload), the worker listens through node:cluster as before.
 */
export const CONNECTIONS_ENV = 'TOASTIES_CONNECTIONS_FROM_PRIMARY';
