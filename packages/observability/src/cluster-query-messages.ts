// node:cluster IPC messages of a cluster query. A worker of the previous release may still ask a new
// one during a reload: a field is only ever added.
export interface WorkerAnswer<T> {
  readonly pid: number;
  readonly value: T;
}

/** Worker → primary; `id` is the asker's own, echoed in the answers. */
export interface QueryAskMessage {
  readonly toasties: 'cluster-ask';
  readonly id: number;
  readonly topic: string;
}

/** Primary → each worker, under the primary's own `id`. */
export interface QueryQuestionMessage {
  readonly toasties: 'cluster-question';
  readonly id: number;
  readonly topic: string;
}

/** Worker → primary. `known: false`: no such topic here (yet), counted neither way. */
export interface QueryAnswerMessage {
  readonly toasties: 'cluster-answer';
  readonly id: number;
  readonly known: boolean;
  readonly value?: unknown;
}

/** Primary → the asker. */
export interface QueryAnswersMessage {
  readonly toasties: 'cluster-answers';
  readonly id: number;
  readonly answers: ReadonlyArray<WorkerAnswer<unknown>>;
  readonly missing: readonly number[];
  readonly timeoutMs: number;
}

export type QueryMessage = QueryAskMessage | QueryQuestionMessage | QueryAnswerMessage | QueryAnswersMessage;

/** The process model's messages and node's share the channel. */
export function isQueryMessage<K extends QueryMessage['toasties']>(message: unknown, kind: K): message is Extract<QueryMessage, { toasties: K }> {
  return (message as { toasties?: unknown } | null)?.toasties === kind;
}
