import type { PickItem } from '@toasties/contract';
import type { RunningService } from '@toasties/testkit';

/**
 * Run `task(i)` for i = 0 … count-1 with at most `concurrency` in flight: thousands of
 * requests, but a bounded number of sockets (a 2-core machine, one test process).
 * Stops early, between tasks, once `stop()` says so.
 */
export async function drive(count: number, concurrency: number, task: (i: number) => Promise<void>, stop: () => boolean = () => false): Promise<number> {
  let next = 0;
  const runner = async () => {
    while (next < count && !stop()) await task(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, runner));
  return next;
}

/** The contract's pick item, for the tests that drive picks. */
export type { PickItem };

/** A v1 pick, as a status (0: no answer at all, e.g. the connection was refused). */
export async function pickV1(chillybin: RunningService, ingredient: string, quantity: number, verb: 'GET' | 'POST' = 'POST'): Promise<number> {
  try {
    const res = await fetch(`${chillybin.url}/pick?name=${ingredient}&quantity=${quantity}`, { method: verb });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** A keyed v2 pick: the status (0: no answer, or one that is not JSON, as `failure` says) and, when 201, the order id. */
export async function pickV2(chillybin: RunningService, items: readonly PickItem[], key: string, customer = 'gita'): Promise<{ status: number; orderId?: string; failure?: string }> {
  let res: Response;
  try {
    res = await fetch(`${chillybin.url}/v2/pick`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `"${key}"` },
      body: JSON.stringify({ customer, items }),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { status: 0, failure: `no answer (${cause?.code ?? cause?.message ?? (error as Error).message})` };
  }
  try {
    const body = (await res.json()) as { order?: { id: string } };
    return { status: res.status, orderId: body.order?.id };
  } catch (error) {
    return { status: 0, failure: `a ${res.status} whose body is not JSON (${(error as Error).message})` };
  }
}

/** A running total of ingredients taken, by name. */
export class Tally {
  readonly counts: Record<string, number> = {};
  add(items: readonly PickItem[]): void {
    for (const { ingredient, quantity } of items) this.counts[ingredient] = (this.counts[ingredient] ?? 0) + quantity;
  }
  of(ingredient: string): number {
    return this.counts[ingredient] ?? 0;
  }
}
