import { Router, type RequestHandler, type Response } from 'express';
import { HttpError, methodNotAllowed, refuseUnknownFields, requireJsonBody, writeRateLimit } from '@toasties/http';
import { fingerprintOf, parseIdempotencyKey, type Answer, type Idempotency } from '../idempotency';
import { OutOfStock, type Orders } from '../orders';
import { parsePickRequest, type PickRequest } from '../pick-request';
import type { ChillybinMetrics, PickResult } from '../metrics';
import type { Stock } from '../stock';

export interface V2Dependencies {
  readonly stock: Stock;
  readonly orders: Orders;
  readonly idempotency: Idempotency;
  readonly metrics: ChillybinMetrics;
  /** The limit on public writes (shared with v1 /pick); none by default. */
  readonly writeLimit?: RequestHandler;
}

/** A pick's outcome as an answer: both outcomes are final, so both are kept for a retry. */
function placeOrder(orders: Orders, { customer, items }: PickRequest): Answer {
  try {
    return { status: 201, body: { order: orders.place(customer, items) } };
  } catch (error) {
    if (!(error instanceof OutOfStock)) throw error;
    return { status: 409, body: { error: 'out_of_stock', message: error.message, ingredient: error.ingredient } };
  }
}

function answerPick(res: Response, { answer, replayed }: { answer: Answer; replayed: boolean }): void {
  if (replayed) res.set('Idempotent-Replayed', 'true');
  const created = answer.body as { order?: { id: number } };
  if (answer.status === 201 && created.order) res.location(`/v2/orders/${created.order.id}`);
  res.status(answer.status).json(answer.body);
}

/** Order ids are positive integers; anything else cannot name an order. */
const ORDER_ID = /^[1-9][0-9]{0,14}$/;

/** The foxtrot's new API: several items for a customer, taken atomically, recorded as an order. */
export function v2Routes({ stock, orders, idempotency, metrics, writeLimit = writeRateLimit(undefined) }: V2Dependencies): Router {
  const router = Router();

  router.post('/v2/pick', writeLimit, requireJsonBody, (req, res) => {
    let result: PickResult = 'invalid';
    try {
      refuseUnknownFields(req.query, [], 'query string'); // the pick is the body, all of it
      const pick = parsePickRequest(req.body);
      const unknown = pick.items.find((item) => !stock.has(item.ingredient));
      if (unknown) {
        result = 'unknown_ingredient';
        // Named in the answer, as out_of_stock is, so a caller (jafflr) can tell its client which one.
        return void res.status(400).json({ error: 'unknown_ingredient', message: `the chillybin has no ${unknown.ingredient}`, ingredient: unknown.ingredient });
      }
      const key = parseIdempotencyKey(req.get('Idempotency-Key'));
      const work = () => placeOrder(orders, pick);
      const outcome = key === undefined ? { answer: work(), replayed: false } : idempotency.once({ customer: pick.customer, key, fingerprint: fingerprintOf(pick) }, work);
      result = outcome.replayed ? 'replayed' : outcome.answer.status === 201 ? 'picked' : 'out_of_stock';
      answerPick(res, outcome);
    } finally {
      metrics.pick('v2', result);
    }
  });
  router.all('/v2/pick', methodNotAllowed('POST'));


  router.get('/v2/orders/:id', (req, res) => {
    const order = ORDER_ID.test(req.params.id) ? orders.get(Number(req.params.id)) : undefined;
    if (!order) throw new HttpError(404, 'order_not_found', `there is no order ${JSON.stringify(req.params.id)}`);
    res.json({ order });
  });

  return router;
}
