import type { Tables } from '../store';

type Work = (t: Tables) => Promise<unknown>;

const METHODS = { stock: ['levels', 'unknown', 'take', 'set'], orders: ['add', 'remove', 'get', 'publicIdOf'], keys: ['claim', 'record', 'sweep'] } as const satisfies { [T in keyof Tables]: readonly (keyof Tables[T])[] };

type TableName = keyof typeof METHODS;
export type CallName = { [T in TableName]: `${T}.${(typeof METHODS)[T][number]}` }[TableName];

/** The arguments of each call of one step, in the order of their writes; their answers in the same order. */
export type Together = Partial<Record<CallName, (calls: readonly (readonly unknown[])[]) => Promise<unknown[]>>>;

/** Thrown by a Together when its calls cannot go together: the writes go again one by one. */
export class OneByOne extends Error {}

/** Taken in the order the writes came, as if each went alone. */
const IN_TURN: CallName = 'stock.take';

interface Call {
  readonly write: number;
  readonly name: CallName;
  readonly args: readonly unknown[];
  readonly resolve: (value: unknown) => void;
}

/**
 * The writes of a shared transaction side by side: once every write still running waits on a
 * table call, the calls go to the database together, one statement for all the calls of one
 * name (`together`; others one by one on `alone`). A round trip per step of the batch, not per
 * step of each write: on loopback the round trip is most of what a statement costs.
 *
 * The writes touch rows of their own but the stock rows (a key claimed twice is `OneByOne`),
 * so only the takes' order matters: a write's take waits until every write before it has made
 * its own or ended. Undefined when a write or a call threw (nothing to keep: the caller rolls
 * back); a database fault is thrown.
 */
export async function inLockstep(works: readonly Work[], alone: Tables, together: Together, isFault: (error: unknown) => boolean): Promise<unknown[] | undefined> {
  const values: unknown[] = new Array(works.length);
  const running = new Set(works.keys());
  const took = new Set<number>();
  let asked: Call[] = [];
  let threw = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    if (wake && (threw || new Set(asked.map((call) => call.write)).size === running.size)) {
      wake();
      wake = undefined;
    }
  };
  const tablesOf = (write: number) =>
    Object.fromEntries(
      Object.entries(METHODS).map(([table, methods]) => [
        table,
        Object.fromEntries(
          methods.map((method) => [
            method,
            (...args: unknown[]) =>
              new Promise((resolve) => {
                asked.push({ write, name: `${table}.${method}` as CallName, args, resolve });
                poke();
              }),
          ]),
        ),
      ]),
    ) as unknown as Tables;

  works.forEach((work, i) => {
    // A write left waiting when another threw is never resumed.
    void Promise.resolve()
      .then(() => work(tablesOf(i)))
      .then(
        (value) => {
          values[i] = value;
          running.delete(i);
          poke();
        },
        () => {
          threw = true;
          poke();
        },
      );
  });

  for (;;) {
    await new Promise<void>((resolve) => {
      wake = resolve;
      poke();
    });
    if (threw) return undefined;
    if (running.size === 0) return values;
    const ready: Call[] = [];
    let blocked = false; // an earlier write has not taken yet and is not taking now
    for (const call of [...asked].sort((a, b) => a.write - b.write)) {
      if (call.name !== IN_TURN) {
        ready.push(call);
        if (!took.has(call.write)) blocked = true;
      } else if (!blocked) {
        ready.push(call);
        took.add(call.write);
      }
    }
    asked = asked.filter((call) => !ready.includes(call));
    const answers = new Map<Call, unknown>();
    try {
      for (const name of new Set(ready.map((call) => call.name))) {
        const calls = ready.filter((call) => call.name === name);
        const all = together[name];
        if (all) (await all(calls.map((call) => call.args))).forEach((answer, i) => answers.set(calls[i]!, answer));
        else for (const call of calls) answers.set(call, await callAlone(alone, call));
      }
    } catch (error) {
      if (isFault(error)) throw error;
      return undefined;
    }
    for (const call of ready) call.resolve(answers.get(call));
  }
}

function callAlone(tables: Tables, { name, args }: Call): Promise<unknown> {
  const [table, method] = name.split('.') as [TableName, string];
  const target = tables[table] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  return target[method]!(...args);
}
