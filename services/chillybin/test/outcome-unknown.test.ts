import { join } from 'node:path';
import { describeWithPostgres, freePort, startService, waitFor, type RunningService } from '@toasties/testkit';
import { postgresServer } from './build';

/**
 * A write is never answered "nothing was changed" when that is not known. The scenario: a
 * bounded keep-alive load of writes on loopback, while chillybin's PostgreSQL backends are
 * stopped (SIGSTOP) for longer than the client-side timeout, then let go (SIGCONT). Statements
 * and COMMITs queue on stopped servers; chillybin gives up waiting, and the server runs them
 * afterwards. Whatever chillybin answered must agree with what the database holds afterwards:
 * every acknowledged write is there, every "nothing was changed" is not, and only what is
 * answered outcome_unknown may be either.
 */
const main = join(__dirname, '..', 'dist', 'main.js');
const IN_FLIGHT = 32;
const STOPPED_MS = 3000; // the fault's length: past query_timeout (statement + connect timeouts)
const MOST_REQUESTS = 20_000;

interface Tally {
  readonly answers: Map<string, number>;
  /** What each answer was given to, by its answer (for v2: the order's unique customer). */
  readonly by: Map<string, string[]>;
}

/** Run writes from IN_FLIGHT loops until `done()` or MOST_REQUESTS; each tallied by status and error code. */
async function load(send: (i: number) => Promise<{ answer: string; what: string }>, done: () => boolean): Promise<Tally> {
  const tally: Tally = { answers: new Map(), by: new Map() };
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (!done() && next < MOST_REQUESTS) {
        const { answer, what } = await send(next++);
        tally.answers.set(answer, (tally.answers.get(answer) ?? 0) + 1);
        tally.by.set(answer, [...(tally.by.get(answer) ?? []), what]);
      }
    }),
  );
  return tally;
}

async function answerOf(res: Response): Promise<string> {
  const text = await res.text();
  return res.status < 300 ? String(res.status) : `${res.status} ${(JSON.parse(text) as { error: string }).error}`;
}

/** Stop every backend serving chillybin's pool for STOPPED_MS, then let them go; the load runs on throughout. */
async function stopBackendsWhile(query: (sql: string) => Promise<{ pid: number }[]>): Promise<number> {
  const pids = (await query("SELECT pid FROM pg_stat_activity WHERE application_name = 'chillybin'")).map((row) => row.pid);
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  try {
    await new Promise((resolve) => setTimeout(resolve, STOPPED_MS));
  } finally {
    for (const pid of pids) process.kill(pid, 'SIGCONT');
  }
  return pids.length;
}

describeWithPostgres('an unknown outcome is never answered as a known one (PostgreSQL, backends stopped)', () => {
  let chillybin: RunningService | undefined;
  afterEach(async () => {
    await chillybin?.stop();
    chillybin = undefined;
  });

  async function start() {
    const { postgres, template } = await postgresServer();
    const url = await postgres.createDatabase(undefined, template);
    const database = url.split('/').pop();
    const query = <R extends object>(sql: string) => postgres.query<R>(sql, [], database);
    await query("UPDATE ingredients SET quantity = 1000000 WHERE name = 'cheese'");
    chillybin = await startService(main, { DATABASE_URL: url, WORKERS: '2', LOG_LEVEL: 'error', PORT: String(await freePort()) });
    return { query, url: chillybin.url };
  }

  /** Load, with the fault in the middle of it: begun once some writes went through, ended a moment after the backends are let go. */
  async function loadThroughFault(query: (sql: string) => Promise<{ pid: number }[]>, send: (i: number) => Promise<{ answer: string; what: string }>) {
    let stopped = false;
    let acknowledged = 0;
    const counted = async (i: number) => {
      const result = await send(i);
      if (result.answer.startsWith('20')) acknowledged++;
      return result;
    };
    const running = load(counted, () => stopped);
    await waitFor(() => acknowledged >= 200, { timeoutMs: 60_000, what: 'the first 200 writes' });
    const backends = await stopBackendsWhile(query);
    const after = acknowledged;
    await waitFor(() => acknowledged >= after + 200, { timeoutMs: 60_000, what: '200 more writes after the backends were let go' });
    stopped = true;
    const tally = await running;
    // The fault was felt: writes in flight on the stopped backends were not acknowledged.
    expect([...tally.answers].filter(([answer]) => !answer.startsWith('20')).length).toBeGreaterThan(0);
    return { tally, backends };
  }

  test('v1 picks: the stock taken is the units acknowledged, plus at most those answered outcome_unknown', async () => {
    const { query, url } = await start();
    const units = (i: number) => 1 + (i % 3);
    const { tally, backends } = await loadThroughFault(query, async (i) => {
      const res = await fetch(`${url}/pick?name=cheese&quantity=${units(i)}`, { method: 'POST' });
      return { answer: await answerOf(res), what: String(units(i)) };
    });
    const sum = (answer: string) => (tally.by.get(answer) ?? []).reduce((total, n) => total + Number(n), 0);
    const [cheese] = await query<{ quantity: number }>("SELECT quantity FROM ingredients WHERE name = 'cheese'");
    const taken = 1_000_000 - cheese!.quantity;
    expect(backends).toBeGreaterThan(0);
    // Every "nothing was changed" is true: nothing else was taken but the 200s and the doubts.
    expect(taken).toBeGreaterThanOrEqual(sum('200'));
    expect(taken - sum('200')).toBeLessThanOrEqual(sum('503 outcome_unknown'));
    expect([...tally.answers.keys()].filter((answer) => !['200', '503 outcome_unknown', '503 database_unavailable', '503 database_busy'].includes(answer))).toEqual([]);
  });

  test('unkeyed v2 orders: each 201 is on record, each "nothing was changed" is not; only outcome_unknown may be either', async () => {
    const { query, url } = await start();
    const { tally, backends } = await loadThroughFault(query, async (i) => {
      const customer = `c${i}`; // each order its own customer: what is on record says which happened
      const res = await fetch(`${url}/v2/pick`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customer, items: [{ ingredient: 'cheese', quantity: 1 }] }) });
      return { answer: await answerOf(res), what: customer };
    });
    const recorded = new Set((await query<{ customer: string }>('SELECT customer FROM orders')).map((row) => row.customer));
    expect(backends).toBeGreaterThan(0);
    expect((tally.by.get('201') ?? []).filter((customer) => !recorded.has(customer))).toEqual([]);
    for (const refused of ['503 database_unavailable', '503 database_busy']) expect((tally.by.get(refused) ?? []).filter((customer) => recorded.has(customer))).toEqual([]);
    const doubts = (tally.by.get('503 outcome_unknown') ?? []).filter((customer) => recorded.has(customer)).length;
    expect(recorded.size).toBe((tally.answers.get('201') ?? 0) + doubts);
  });
});
