import { freePort, startService, stopAllProcesses, waitFor } from '@toasties/testkit';
import { describeBackends, PATIENT_WAITS } from './backends';
import { drive, pickV1, pickV2, Tally, type PickItem } from './load';
import { chillybinMain, restock, stockOf } from './services';

// The invariant behind "never oversell": thousands of concurrent v1 and v2 picks on two
// workers sharing one database (a SQLite file; a PostgreSQL database), at a stock small
// enough to run out under contention. Afterwards no stock is negative and what went
// missing is exactly what was acknowledged.
// `npm run test:soak` runs the same with SOAK_PICKS (default there: 20,000).
const PICKS = Number(process.env.SOAK_PICKS ?? 2000);
const CONCURRENCY = 64;
// Small enough to run out well before the picks do: the boundary is where overselling would happen.
const INITIAL = { cheese: Math.round(PICKS / 10), bread: Math.round(PICKS * 0.15) };

afterAll(stopAllProcesses);

describeBackends(`${PICKS} concurrent picks, v1 and v2 mixed, across 2 chillybin workers`, (freshDatabase) => {
  test('stock never goes negative, and initial − final equals the acknowledged picks exactly', async () => {
    const database = await freshDatabase('concurrency');
    // Quiet logs (thousands of requests), so no "listening" line: a port of our own.
    const chillybin = await startService(chillybinMain, { ...database.env, ...PATIENT_WAITS, WORKERS: '2', LOG_LEVEL: 'warn', PORT: String(await freePort()) });
    await waitFor(async () => ((await (await fetch(`${chillybin.url}/health`)).json()) as { workers?: unknown[] }).workers?.length === 2, { what: 'two workers' });
    await restock(chillybin, INITIAL);

    const taken = new Tally();
    const orders = new Map<string, readonly PickItem[]>();
    const statuses: Record<string, number> = {};
    const count = (what: string) => void (statuses[what] = (statuses[what] ?? 0) + 1);

    await drive(PICKS, CONCURRENCY, async (i) => {
      if (i % 2 === 0) {
        // v1: one ingredient, 1 or 2 of it, by GET and by POST.
        const ingredient = i % 4 === 0 ? 'cheese' : 'bread';
        const quantity = 1 + (i % 3 === 0 ? 1 : 0);
        const status = await pickV1(chillybin, ingredient, quantity, i % 6 === 0 ? 'GET' : 'POST');
        count(`v1 ${status}`);
        if (status === 200) taken.add([{ ingredient, quantity }]);
      } else {
        // v2: a whole toastie; every fifth one repeats the previous key, as a client retry would.
        const items = [{ ingredient: 'cheese', quantity: 1 }, { ingredient: 'bread', quantity: 2 }];
        const { status, orderId, failure } = await pickV2(chillybin, items, `toastie-${i % 10 === 9 ? i - 2 : i}`);
        count(failure === undefined ? `v2 ${status}` : `v2 ${status}: ${failure}`);
        if (status === 201 && orderId !== undefined) orders.set(orderId, items);
      }
    });
    for (const items of orders.values()) taken.add(items);

    const final = await stockOf(chillybin);
    const [recorded] = await database.rows<{ n: number | string }>('SELECT count(*) AS n FROM orders');
    console.log(
      `concurrency [${database.backend}]: ${PICKS} picks driven over 2 workers; ${JSON.stringify(statuses)}; ` +
        `taken ${JSON.stringify(taken.counts)}; final ${JSON.stringify({ cheese: final.cheese, bread: final.bread })}; oversells: ${[final.cheese!, final.bread!].filter((n) => n < 0).length}`,
    );

    // Only the answers a pick can have: taken, or out of stock. No 5xx, no lost connection.
    for (const what of Object.keys(statuses)) expect(['v1 200', 'v1 410', 'v2 201', 'v2 409']).toContain(what);
    // The stock really ran out under contention, so the boundary was exercised.
    expect(statuses['v1 410']).toBeGreaterThan(0);
    expect(statuses['v2 409']).toBeGreaterThan(0);
    for (const ingredient of ['cheese', 'bread'] as const) {
      expect(final[ingredient]).toBeGreaterThanOrEqual(0);
      expect(INITIAL[ingredient] - final[ingredient]!).toBe(taken.of(ingredient));
    }
    expect(Number(recorded!.n)).toBe(orders.size);
    await chillybin.stop();
  }, Math.max(60_000, PICKS * 30));
});
