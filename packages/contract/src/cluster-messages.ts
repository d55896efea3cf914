/**
 * What the processes of one service say to each other over node:cluster's IPC channel: a
 * worker and its primary (@toasties/graceful: ready, listen failed, who is serving) and a
 * worker asking all its siblings through the primary (@toasties/observability's cluster
 * queries: /metrics, jafflr's GET /). Sender and receiver live in different packages, and a
 * worker of the previous release may still be talking to a new one during a reload, so
 * the shapes are written down once, here.
 *
 * Every message of ours carries `toasties: <kind>`; anything else on the channel (node's own
 * messages, express-rate-limit's cluster store) is not ours and is left alone.
 */
import type { WorkerVersion } from './health';

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
  readonly workers: readonly WorkerVersion[];
  readonly reloading: boolean;
}

/** One worker's answer to a cluster query. */
export interface WorkerAnswer<T> {
  readonly pid: number;
  readonly value: T;
}

/** Worker → primary: ask every worker about `topic`. `id` is the asker's own, echoed in the answers. */
export interface QueryAskMessage {
  readonly toasties: 'cluster-ask';
  readonly id: number;
  readonly topic: string;
}

/** Primary → each worker: the question, under the primary's own `id`. */
export interface QueryQuestionMessage {
  readonly toasties: 'cluster-question';
  readonly id: number;
  readonly topic: string;
}

/** Worker → primary. `known: false`: this worker answers no such topic (yet): not counted either way. */
export interface QueryAnswerMessage {
  readonly toasties: 'cluster-answer';
  readonly id: number;
  readonly known: boolean;
  readonly value?: unknown;
}

/** Primary → the worker that asked: every answer that came in time, and the pids that did not answer. */
export interface QueryAnswersMessage {
  readonly toasties: 'cluster-answers';
  readonly id: number;
  readonly answers: ReadonlyArray<WorkerAnswer<unknown>>;
  readonly missing: readonly number[];
  readonly timeoutMs: number;
}

export type ClusterMessage = ReadyMessage | ListenFailedMessage | WorkersMessage | QueryAskMessage | QueryQuestionMessage | QueryAnswerMessage | QueryAnswersMessage;

export type ClusterMessageKind = ClusterMessage['toasties'];

/** Whether something received on the channel is our message of that kind. */
export function isClusterMessage<K extends ClusterMessageKind>(message: unknown, kind: K): message is Extract<ClusterMessage, { toasties: K }> {
  return (message as { toasties?: unknown } | null)?.toasties === kind;
}

/**
 * Set by the primary in the environment of a worker it forks to replace another: listen
 * only once readiness passes, so a broken release never receives a request.
 */
export const WAIT_READY_ENV = 'TOASTIES_WAIT_READY';
