import { freePort, startService, stopAllProcesses, waitFor, type RunningService } from '@toasties/testkit';
import { describeBackends, PATIENT_WAITS, type ChillybinDatabase } from './backends';
import { drive, pickV1, pickV2, Tally, type PickItem } from './load';
import { chillybinMain, restock, stockOf } from './services';

// Durability of what was acknowledged: picks under load, then SIGKILL for the primary and
// every worker at once (no drain, no close, no checkpoint), a restart on the same database,
// and every acknowledged pick must still be there. On SQLite the file is all there is; on
// PostgreSQL only chillybin dies (the server keeps running, as a database server outlives a
// pod), so what is tested is that an acknowledgement means a commit, not a write still in a
// pool's connection or a transaction left open. v1 picks take ham; v2 orders take cheese and
// bread, so each API's effect can be told apart in the stock.
// A pick that was sent but never answered may or may not have happened: the tests bound it.
// `npm run test:soak` repeats the crash SOAK_CRASHES times (default there: 5).
const CRASHES = Number(process.env.SOAK_CRASHES ?? 1);
const ACKNOWLEDGED_BEFORE_CRASH = 300;
const INITIAL = { ham: 100_000, cheese: 100_000, bread: 200_000 };
const TOASTIE: readonly PickItem[] = [{ ingredient: 'cheese', quantity: 1 }, { ingredient: 'bread', quantity: 2 }];

afterAll(stopAllProcesses);

async function startChillybin(database: ChillybinDatabase): Promise<RunningService> {
  const chillybin = await startService(chillybinMain, { ...database.env, ...PATIENT_WAITS, WORKERS: '2', LOG_LEVEL: 'warn', PORT: String(await freePort()) });
  await waitFor(async () => workerPids(chillybin).then((pids) => pids.length === 2), { what: 'two workers serving' });
  return chillybin;
}

async function workerPids(chillybin: RunningService): Promise<number[]> {
  const health = (await (await fetch(`${chillybin.url}/health`)).json()) as { workers?: { pid: number }[] };
  return (health.workers ?? []).map((worker) => worker.pid);
}

const gone = (pid: number) => {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
};

describeBackends(`SIGKILL of chillybin's primary and workers under load (${CRASHES}×), then a restart on the same database`, (freshDatabase) => {
  test('every acknowledged v1 pick and v2 order is still there, and the stock accounts for them', async () => {
    const database = await freshDatabase('crash');
    let chillybin = await startChillybin(database);
    await restock(chillybin, INITIAL);

    const ackedV1 = new Tally(); // answered 200
    const unansweredV1 = new Tally(); // sent, no answer: may or may not have happened
    const ackedOrders = new Map<string, readonly PickItem[]>();
    let driven = 0;

    for (let crash = 1; crash <= CRASHES; crash++) {
      let acked = 0;
      let killed = false;
      // Load that runs until the crash: it ends once the service stops answering.
      const load = drive(Number.MAX_SAFE_INTEGER, 32, async (i) => {
        driven += 1;
        if (i % 2 === 0) {
          const status = await pickV1(chillybin, 'ham', 1 + (i % 3));
          if (status === 200) ackedV1.add([{ ingredient: 'ham', quantity: 1 + (i % 3) }]);
          else if (status === 0) unansweredV1.add([{ ingredient: 'ham', quantity: 1 + (i % 3) }]);
          else throw new Error(`v1 pick answered ${status}`);
          if (status === 200) acked += 1;
        } else {
          const { status, orderId } = await pickV2(chillybin, TOASTIE, `crash-${crash}-${i}`);
          if (status === 201 && orderId !== undefined) {
            ackedOrders.set(orderId, TOASTIE);
            acked += 1;
          } else if (status !== 0) throw new Error(`v2 pick answered ${status}`);
        }
      }, () => killed);

      await waitFor(() => acked >= ACKNOWLEDGED_BEFORE_CRASH, { timeoutMs: 30_000, what: `${ACKNOWLEDGED_BEFORE_CRASH} acknowledged picks` });
      const pids = [chillybin.pid, ...(await workerPids(chillybin))];
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      killed = true;
      await waitFor(() => pids.every(gone), { what: 'primary and workers gone' });
      await load;

      chillybin = await startChillybin(database);
    }

    // Every acknowledged order reads back as it was acknowledged.
    let lost = 0;
    for (const [id, items] of ackedOrders) {
      const res = await fetch(`${chillybin.url}/v2/orders/${id}`);
      const body = (await res.json()) as { order?: { items: PickItem[] } };
      if (res.status !== 200 || JSON.stringify(body.order?.items) !== JSON.stringify(items)) lost += 1;
    }
    // What the database holds: every order's items (acknowledged or not) and the stock.
    const rows = await database.rows<{ ingredient: string; n: number | string }>('SELECT ingredient, sum(quantity) AS n FROM order_items GROUP BY ingredient');
    const inOrders = Object.fromEntries(rows.map(({ ingredient, n }) => [ingredient, Number(n)]));
    const final = await stockOf(chillybin);
    const hamTaken = INITIAL.ham - final.ham!;
    console.log(
      `crash [${database.backend}]: ${driven} picks driven, ${ackedV1.of('ham')} ham in acknowledged v1 picks + ${ackedOrders.size} acknowledged v2 orders, ` +
        `${CRASHES} SIGKILL(s) of primary + 2 workers; ham taken ${hamTaken} (acknowledged ${ackedV1.of('ham')}, unanswered ${unansweredV1.of('ham')}); acknowledged picks lost: ${lost + Math.max(0, ackedV1.of('ham') - hamTaken)}`,
    );

    expect(lost).toBe(0);
    // v1: at least every acknowledged pick, at most those plus the unanswered ones.
    expect(hamTaken).toBeGreaterThanOrEqual(ackedV1.of('ham'));
    expect(hamTaken).toBeLessThanOrEqual(ackedV1.of('ham') + unansweredV1.of('ham'));
    // v2: the stock went down by exactly the orders on record (a transaction: all or nothing).
    expect(INITIAL.cheese - final.cheese!).toBe(inOrders.cheese);
    expect(INITIAL.bread - final.bread!).toBe(inOrders.bread);
    expect(inOrders.cheese).toBeGreaterThanOrEqual(ackedOrders.size);
    await chillybin.stop();
  }, 30_000 + CRASHES * 60_000);
});
