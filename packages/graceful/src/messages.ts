/** What a worker and its primary say to each other over the cluster's IPC channel. */

export interface WorkerInfo {
  readonly pid: number;
  readonly version: string;
}

/** Worker → primary: listening, and (when asked to wait) ready for traffic. */
export interface ReadyMessage {
  readonly toasties: 'ready';
  readonly version: string;
}

/**
 * Worker → primary: this address cannot be listened on (EADDRNOTAVAIL, ENOTFOUND, EADDRINUSE,
 * EACCES…). Every worker would fail the same way, so the primary exits rather than replace it.
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
  readonly workers: readonly WorkerInfo[];
  readonly reloading: boolean;
}

export function isReadyMessage(message: unknown): message is ReadyMessage {
  return (message as { toasties?: unknown } | null)?.toasties === 'ready';
}

export function isListenFailedMessage(message: unknown): message is ListenFailedMessage {
  return (message as { toasties?: unknown } | null)?.toasties === 'listen-failed';
}

export function isWorkersMessage(message: unknown): message is WorkersMessage {
  return (message as { toasties?: unknown } | null)?.toasties === 'workers';
}

/**
 * Set by the primary on a worker it forks to replace another: listen only once
 * readiness passes, so a broken release never receives a request.
 */
export const WAIT_READY_ENV = 'TOASTIES_WAIT_READY';
