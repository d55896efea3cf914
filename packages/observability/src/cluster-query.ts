import cluster, { type Worker } from 'node:cluster';
import { isQueryMessage, type QueryAnswerMessage, type QueryAnswersMessage, type QueryAskMessage, type QueryQuestionMessage, type WorkerAnswer } from './cluster-query-messages';

export type { WorkerAnswer };

// A worker cannot see its siblings, so the primary asks every worker and answers with what came back in
// time, naming those that did not: one worker in trouble must not take the whole answer with it.
// Outside a cluster, or with the primary gone, the answer is this process's own.

export interface ClusterAnswers<T> {
  readonly answers: ReadonlyArray<WorkerAnswer<T>>;
  readonly missing: readonly number[];
  readonly timeoutMs: number;
}

export interface ClusterQuery<T> {
  ask(): Promise<ClusterAnswers<T>>;
}

export const clusterQueryDefaults = {
  timeoutMs: 2000,
} as const;

/** How much longer than the primary's limit a worker waits before giving up on the primary. */
const PRIMARY_MARGIN_MS = 3000;

const localAnswers = new Map<string, () => unknown>();
let answering = false;

/** False if there is no primary to send to (not a worker, or it has gone). */
function toPrimary(message: QueryAskMessage | QueryAnswerMessage): boolean {
  if (!cluster.isWorker || !process.connected || !process.send) return false;
  // The callback swallows a channel that closed meanwhile (the primary was killed).
  process.send(message, undefined, {}, () => undefined);
  return true;
}

function answerQuestions(): void {
  if (answering || !cluster.isWorker) return;
  answering = true;
  process.on('message', (message: unknown) => {
    if (!isQueryMessage(message, 'cluster-question')) return;
    const local = localAnswers.get(message.topic);
    if (!local) return void toPrimary({ toasties: 'cluster-answer', id: message.id, known: false });
    Promise.resolve()
      .then(local)
      .then(
        (value) => toPrimary({ toasties: 'cluster-answer', id: message.id, known: true, value }),
        // A worker that fails to answer is as good as one that did not answer: counted missing.
        () => undefined,
      );
  });
}

let nextAskId = 0;

/** In a worker, `local` is also its answer when a sibling asks (one per topic: a worker builds one app). */
export function clusterQuery<T>(topic: string, local: () => T | Promise<T>): ClusterQuery<T> {
  if (cluster.isWorker) {
    localAnswers.set(topic, local);
    answerQuestions();
  }
  const alone = async (): Promise<ClusterAnswers<T>> => ({ answers: [{ pid: process.pid, value: await local() }], missing: [], timeoutMs: 0 });

  return {
    ask() {
      const id = nextAskId++;
      return new Promise<ClusterAnswers<T>>((resolve, reject) => {
        // A primary that does not answer at all (gone, or wedged): this process's own answer is all there is.
        const timer = setTimeout(() => finish(), clusterQueryDefaults.timeoutMs + PRIMARY_MARGIN_MS);
        function onMessage(message: unknown) {
          if (isQueryMessage(message, 'cluster-answers') && message.id === id) finish(message as ClusterAnswers<T>);
        }
        function finish(answers?: ClusterAnswers<T>) {
          clearTimeout(timer);
          process.off('message', onMessage);
          if (answers) resolve({ answers: answers.answers, missing: answers.missing, timeoutMs: answers.timeoutMs });
          else alone().then(resolve, reject);
        }
        process.on('message', onMessage);
        if (!toPrimary({ toasties: 'cluster-ask', id, topic })) finish();
      });
    },
  };
}

interface Pending {
  readonly asker: Worker;
  readonly askerId: number;
  readonly waitingFor: Map<number, number>; // worker id → pid
  readonly answers: Array<WorkerAnswer<unknown>>;
  readonly timer: NodeJS.Timeout;
}

export function serveClusterQueries(options: Partial<typeof clusterQueryDefaults> = {}): void {
  if (!cluster.isPrimary) return;
  const { timeoutMs } = { ...clusterQueryDefaults, ...options };
  const pending = new Map<number, Pending>();
  let nextId = 0;

  function reply(id: number): void {
    const query = pending.get(id);
    if (!query) return;
    clearTimeout(query.timer);
    pending.delete(id);
    const message: QueryAnswersMessage = { toasties: 'cluster-answers', id: query.askerId, answers: query.answers, missing: [...query.waitingFor.values()], timeoutMs };
    if (query.asker.isConnected()) query.asker.send(message, undefined, () => undefined);
  }

  cluster.on('message', (worker: Worker, message: unknown) => {
    if (isQueryMessage(message, 'cluster-ask')) {
      const id = nextId++;
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w.isConnected());
      const question: QueryQuestionMessage = { toasties: 'cluster-question', id, topic: message.topic };
      pending.set(id, {
        asker: worker,
        askerId: message.id,
        waitingFor: new Map(workers.map((w) => [w.id, w.process.pid ?? -1])),
        answers: [],
        timer: setTimeout(() => reply(id), timeoutMs),
      });
      for (const w of workers) w.send(question, undefined, () => undefined);
    } else if (isQueryMessage(message, 'cluster-answer')) {
      const query = pending.get(message.id);
      if (!query?.waitingFor.delete(worker.id)) return;
      if (message.known) query.answers.push({ pid: worker.process.pid ?? -1, value: message.value });
      if (query.waitingFor.size === 0) reply(message.id);
    }
  });
  // A worker that exits is not going to answer: do not wait the whole limit for it.
  cluster.on('exit', (worker: Worker) => {
    for (const [id, query] of pending) if (query.waitingFor.delete(worker.id) && query.waitingFor.size === 0) reply(id);
  });
}
