import { describeWithPostgres, freePort, startPostgres, startService, stopAllProcesses, waitFor, type PostgresServer, type RunningService } from '@toasties/testkit';
import { PATIENT_WAITS } from './backends';
import { drive, pickV1, pickV2, Tally, type PickItem } from './load';
import { chillybinMain, restock, stockOf } from './services';

// Issue 15: chillybin on PostgreSQL, N replicas on one database, the same guarantees as one
// process on one SQLite file. Real processes: three chillybin replicas (each its own
// primary and worker, as three pods would be) on one real PostgreSQL server, started at
// the same moment (so their start-up migrations race), and load spread across them.
const REPLICAS = 3;
const PICKS = 900;
const CONCURRENCY = 48;
const INITIAL = { cheese: 90, bread: 135, ham: 100_000, tomato: 100_000 };
const TOASTIE: readonly PickItem[] = [{ ingredient: 'cheese', quantity: 1 }, { ingredient: 'bread', quantity: 2 }];

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
}, 120_000);
afterAll(async () => {
  await stopAllProcesses(); // the replicas, and the server if a test failed before stopping it
});

async function startReplicas(DATABASE_URL: string): Promise<RunningService[]> {
  const ports = await Promise.all(Array.from({ length: REPLICAS }, () => freePort()));
  return Promise.all(ports.map((port) => startService(chillybinMain, { DATABASE_URL, ...PATIENT_WAITS, WORKERS: '1', LOG_LEVEL: 'warn', PORT: String(port), DATABASE_POOL_SIZE: '8' })));
}

const orderCount = async (database: string) => Number((await postgres.query<{ n: string }>('SELECT count(*) AS n FROM orders', [], database))[0]!.n);

describeWithPostgres(`${REPLICAS} chillybin replicas on one PostgreSQL database`, () => {
  test('started at once they migrate once; mixed v1/v2 picks and repeated keys across them: initial − final = acknowledged, one order per key, no 5xx', async () => {
    const url = await postgres.createDatabase('replicas');
    const replicas = await startReplicas(url);
    const executed = await postgres.query<{ name: string }>('SELECT name FROM migrations', [], 'replicas');
    expect(executed).toHaveLength(4);
    await restock(replicas[0]!, INITIAL);

    const taken = new Tally();
    const orderByKey = new Map<string, string>();
    const statuses: Record<string, number> = {};
    const count = (what: string) => void (statuses[what] = (statuses[what] ?? 0) + 1);
    let sameKeyOtherOrder = 0;

    await drive(PICKS, CONCURRENCY, async (i) => {
      const replica = replicas[i % REPLICAS]!;
      if (i % 2 === 0) {
        const ingredient = i % 4 === 0 ? 'cheese' : 'bread';
        const quantity = 1 + (i % 3 === 0 ? 1 : 0);
        const status = await pickV1(replica, ingredient, quantity, i % 6 === 0 ? 'GET' : 'POST');
        count(`v1 ${status}`);
        if (status === 200) taken.add([{ ingredient, quantity }]);
      } else {
        // Every key is sent twice, to two different replicas (i and i + 2 differ mod 3),
        // often at the same time: a client retrying through the load balancer.
        const key = `toastie-${i % 4 === 3 ? i - 2 : i}`;
        const { status, orderId } = await pickV2(replica, TOASTIE, key);
        count(`v2 ${status}`);
        if (status === 201 && orderId !== undefined) {
          const seen = orderByKey.get(key);
          if (seen === undefined) {
            orderByKey.set(key, orderId);
            taken.add(TOASTIE);
          } else if (seen !== orderId) sameKeyOtherOrder += 1;
        }
      }
    });

    const final = await stockOf(replicas[1]!);
    const orders = await orderCount('replicas');
    console.log(`replicas: ${PICKS} picks over ${REPLICAS} replicas; ${JSON.stringify(statuses)}; taken ${JSON.stringify(taken.counts)}; final ${JSON.stringify({ cheese: final.cheese, bread: final.bread })}; orders ${orders}`);

    for (const what of Object.keys(statuses)) expect(['v1 200', 'v1 410', 'v2 201', 'v2 409']).toContain(what);
    expect(statuses['v1 410']).toBeGreaterThan(0); // the stock ran out under contention
    for (const ingredient of ['cheese', 'bread'] as const) {
      expect(final[ingredient]).toBeGreaterThanOrEqual(0);
      expect(INITIAL[ingredient] - final[ingredient]!).toBe(taken.of(ingredient));
    }
    expect(sameKeyOtherOrder).toBe(0);
    expect(orders).toBe(orderByKey.size);
    await Promise.all(replicas.map((replica) => replica.stop()));
  }, 180_000);

  test('SIGKILL of every replica under load, then a restart: every acknowledged pick and order is still there', async () => {
    const url = await postgres.createDatabase('crash');
    let replicas = await startReplicas(url);
    await restock(replicas[0]!, INITIAL);
    const ackedV1 = new Tally();
    const unansweredV1 = new Tally();
    const ackedOrders = new Map<string, readonly PickItem[]>();
    let acked = 0;
    let killed = false;
    const load = drive(Number.MAX_SAFE_INTEGER, 24, async (i) => {
      const replica = replicas[i % REPLICAS]!;
      if (i % 2 === 0) {
        const quantity = 1 + (i % 3);
        const status = await pickV1(replica, 'ham', quantity);
        if (status === 200) {
          ackedV1.add([{ ingredient: 'ham', quantity }]);
          acked += 1;
        } else if (status === 0) unansweredV1.add([{ ingredient: 'ham', quantity }]);
        else throw new Error(`v1 pick answered ${status}`);
      } else {
        const items = [{ ingredient: 'tomato', quantity: 1 }, { ingredient: 'ham', quantity: 1 }];
        const { status, orderId } = await pickV2(replica, items, `crash-${i}`);
        if (status === 201 && orderId !== undefined) {
          ackedOrders.set(orderId, items);
          acked += 1;
        } else if (status !== 0) throw new Error(`v2 pick answered ${status}`);
      }
    }, () => killed);

    await waitFor(() => acked >= 300, { timeoutMs: 60_000, what: '300 acknowledged picks' });
    const pids = (await Promise.all(replicas.map(async (replica) => [replica.pid, ...((await (await fetch(`${replica.url}/health`)).json()) as { workers?: { pid: number }[] }).workers!.map((w) => w.pid)]))).flat();
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    killed = true;
    await Promise.all(replicas.map((replica) => replica.waitForExit()));
    await load;

    replicas = await startReplicas(url);
    let lost = 0;
    for (const [id, items] of ackedOrders) {
      const res = await fetch(`${replicas[0]!.url}/v2/orders/${id}`);
      const body = (await res.json()) as { order?: { items: PickItem[] } };
      if (res.status !== 200 || JSON.stringify(body.order?.items) !== JSON.stringify(items)) lost += 1;
    }
    const inOrders = await postgres.query<{ ingredient: string; n: string }>('SELECT ingredient, sum(quantity) AS n FROM order_items GROUP BY ingredient', [], 'crash');
    const ordered = Object.fromEntries(inOrders.map((row) => [row.ingredient, Number(row.n)]));
    const final = await stockOf(replicas[2]!);
    const hamByV1 = INITIAL.ham - final.ham! - (ordered.ham ?? 0);
    console.log(`replicas crash: ${ackedV1.of('ham')} ham in acknowledged v1 picks (${unansweredV1.of('ham')} unanswered), ${ackedOrders.size} acknowledged orders; ham taken by v1 ${hamByV1}; orders lost ${lost}`);

    expect(lost).toBe(0);
    expect(hamByV1).toBeGreaterThanOrEqual(ackedV1.of('ham'));
    expect(hamByV1).toBeLessThanOrEqual(ackedV1.of('ham') + unansweredV1.of('ham'));
    expect(INITIAL.tomato - final.tomato!).toBe(ordered.tomato);
    expect(ordered.tomato).toBeGreaterThanOrEqual(ackedOrders.size);
    await Promise.all(replicas.map((replica) => replica.stop()));
  }, 180_000);
});
