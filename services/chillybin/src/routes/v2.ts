import type { Request, RequestHandler, Response } from 'express';
import { HttpError, refuseUnknownFields, requireJsonBody, writeRateLimit, type Route } from '@toasties/http';
import { outcomeAnswer } from '../answers';
import { parseIdempotencyKey } from '../idempotency';
import { failedPickResult, pickResult, type ChillybinMetrics, type PickResult } from '../metrics';
import { ORDER_ID, orderV2, type Picking } from '../pick';
import { parsePickRequest } from '../pick-request';

export interface V2Dependencies {
  readonly picking: Picking;
  readonly metrics: ChillybinMetrics;
  readonly writeLimit?: RequestHandler;
}

export function v2Routes({ picking, metrics, writeLimit = writeRateLimit(undefined) }: V2Dependencies): Route[] {
  const pickOrder = async (req: Request, res: Response) => {
    let result: PickResult = 'invalid';
    try {
      refuseUnknownFields(req.query, [], 'query string'); // the pick is the body, all of it
      const outcome = await orderV2(picking, parsePickRequest(req.body), parseIdempotencyKey(req.get('Idempotency-Key')));
      result = pickResult(outcome);
      if (outcome.kind === 'replayed') res.set('Idempotent-Replayed', 'true');
      const final = outcome.kind === 'replayed' ? outcome.outcome : outcome;
      if (final.kind !== 'placed') throw outcomeAnswer(final) ?? new Error(`no answer for a ${final.kind} outcome`);
      res.location(`/v2/orders/${final.order.id}`).status(201).json({ order: final.order });
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
    const order = ORDER_ID.test(id) ? await picking.store.read((t) => t.orders.get(id)) : undefined;
    if (!order) throw new HttpError('order_not_found', `there is no order ${JSON.stringify(given)}`);
    res.json({ order });
  };

  return [
    { method: 'POST', path: '/v2/pick', handlers: [writeLimit, requireJsonBody, pickOrder] },
    { method: 'GET', path: '/v2/orders/:id', handlers: [getOrder] },
  ];
}
