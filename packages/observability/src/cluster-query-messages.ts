/**
 * What a worker asking all its siblings (through the primary) sends over node:cluster's IPC
 * channel, and what comes back (cluster-query.ts). A worker of the previous release may
 * still be asking a new one during a reload: a field is only ever added.
 */

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

export type QueryMessage = QueryAskMessage | QueryQuestionMessage | QueryAnswerMessage | QueryAnswersMessage;

/** Whether something received on the channel is our message of that kind (the process model's and node's are not). */
export function isQueryMessage<K extends QueryMessage['toasties']>(message: unknown, kind: K): message is Extract<QueryMessage, { toasties: K }> {
  return (message as { toasties?: unknown } | null)?.toasties === kind;
}
