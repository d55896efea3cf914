import type { Request, RequestHandler, Response } from 'express';
import { OutOfStock, UnknownIngredient, type PickRequest } from '@toasties/contract';
import { HttpError, refuseUnknownFields, requireJsonBody, writeRateLimit, type Route } from '@toasties/http';
import { answerTo } from '../answers';
import { databaseFault } from '../database-faults';
import { fingerprintOf, parseIdempotencyKey, type Answer, type Idempotency } from '../idempotency';
import { ORDER_ID, type Orders } from '../orders';
import { parsePickRequest } from '../pick-request';
import { failedPickResult, type ChillybinMetrics, type PickResult } from '../metrics';
import type { Stock } from '../stock';
import type { Tx } from '../transaction';
import type { Writes } from '../writes';

export interface V2Dependencies {
  readonly stock: Stock;
  readonly orders: Orders;
  readonly idempotency: Idempotency;
  readonly metrics: ChillybinMetrics;
  /** Every write goes through it: it waits for a locked database without blocking (writes.ts). */
  readonly writes: Writes;
  /** The limit on public writes (shared with v1 /pick); none by default. */
  readonly writeLimit?: RequestHandler;
}

/**
 * A pick's outcome as an answer: both outcomes are final, so both are kept for a retry, the
 * refusal as the catalogue answers it (answers.ts). An ingredient the chillybin never held is
 * no outcome: it is thrown (UnknownIngredient), rolling back the key's transaction, so no
 * key remembers it.
 */
async function placeOrder(stock: Stock, orders: Orders, { customer, items }: PickRequest, tx?: Tx): Promise<Answer> {
  try {
    return { status: 201, body: { order: await orders.place(customer, items, tx) } };
  } catch (error) {
    const refused = error instanceof OutOfStock ? answerTo(error) : undefined;
    if (!refused) throw error;
    // The items are taken in order: one short may come before one unknown.
    await refuseUnknown(stock, items, tx);
    return { status: refused.status, body: refused.body };
  }
}

/** UnknownIngredient naming the first item the chillybin never held, if any. */
async function refuseUnknown(stock: Stock, items: PickRequest['items'], tx?: Tx): Promise<void> {
  const unknown = await stock.unknown(items.map((item) => item.ingredient), tx);
  if (unknown !== undefined) throw new UnknownIngredient(unknown);
}

/**
 * An unknown ingredient is the answer before anything else the pick could be told (a bad or
 * reused key, a locked database): it used to be looked up first, in a statement of its own
 * for every pick. Now the order's transaction finds it (stock.take), and it is looked up
 * only when the pick fails some other way, which keeps every answer as it was.
 */
async function unknownIngredientFirst<T>(stock: Stock, items: PickRequest['items'], attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    // Not when the database is unreachable: the look-up would only wait for it again.
    if (!(error instanceof UnknownIngredient) && databaseFault(error) !== 'unavailable') await refuseUnknown(stock, items);
    throw error;
  }
}

/**
 * A 201 stored by a release before migration 0003 names its order by row id; replayed now,
 * it names it by its public id, the only one GET /v2/orders/:id answers to.
 */
async function withPublicId(orders: Orders, answer: Answer): Promise<Answer> {
  const order = (answer.body as { order?: { id?: unknown } }).order;
  if (answer.status !== 201 || typeof order?.id !== 'number') return answer;
  return { ...answer, body: { order: { ...order, id: (await orders.publicIdOf(order.id)) ?? order.id } } };
}

async function answerPick(res: Response, orders: Orders, outcome: { answer: Answer; replayed: boolean }): Promise<void> {
  const answer = outcome.replayed ? await withPublicId(orders, outcome.answer) : outcome.answer;
  if (outcome.replayed) res.set('Idempotent-Replayed', 'true');
  const created = answer.body as { order?: { id: string } };
  if (answer.status === 201 && created.order) res.location(`/v2/orders/${created.order.id}`);
  res.status(answer.status).json(answer.body);
}

/** The foxtrot's new API: several items for a customer, taken atomically, recorded as an order. */
export function v2Routes({ stock, orders, idempotency, metrics, writes, writeLimit = writeRateLimit(undefined) }: V2Dependencies): Route[] {
  const pickOrder = async (req: Request, res: Response) => {
    let result: PickResult = 'invalid';
    try {
      refuseUnknownFields(req.query, [], 'query string'); // the pick is the body, all of it
      const pick = parsePickRequest(req.body);
      const outcome = await unknownIngredientFirst(stock, pick.items, () => {
        const key = parseIdempotencyKey(req.get('Idempotency-Key'));
        const keyed = key === undefined ? undefined : { customer: pick.customer, key, fingerprint: fingerprintOf(pick) };
        return writes.run(async () =>
          keyed === undefined ? { answer: await placeOrder(stock, orders, pick), replayed: false } : idempotency.once(keyed, (tx) => placeOrder(stock, orders, pick, tx)),
        );
      });
      result = outcome.replayed ? 'replayed' : outcome.answer.status === 201 ? 'picked' : 'out_of_stock';
      await answerPick(res, orders, outcome);
    } catch (error) {
      result = failedPickResult(error) ?? result;
      throw error;
    } finally {
      metrics.pick('v2', result);
    }
  };

  const getOrder = async (req: Request, res: Response) => {
    const given = String(req.params.id); // the route's own parameter: always one segment
    // UUIDs are case-insensitive (RFC 9562); ours are stored in lower case.
    const id = given.toLowerCase();
    const order = ORDER_ID.test(id) ? await orders.get(id) : undefined;
    if (!order) throw new HttpError('order_not_found', `there is no order ${JSON.stringify(given)}`);
    res.json({ order });
  };

  return [
    { method: 'POST', path: '/v2/pick', handlers: [writeLimit, requireJsonBody, pickOrder] },
    { method: 'GET', path: '/v2/orders/:id', handlers: [getOrder] },
  ];
}
