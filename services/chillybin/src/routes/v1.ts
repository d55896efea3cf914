import type { Request, RequestHandler, Response } from 'express';
import type { ChillybinFlags } from '../flags';
import { deprecated, HttpError, onlyQueryParameters, refuseUnknownFields, requireBearerToken, requireJsonBody, writeRateLimit, type Route } from '@toasties/http';
import { DEFAULT_STOCK } from '../default-stock';
import { v1PickAnswers } from '../answers';
import { ingredientName, pickQuantity, restockBody } from '../requests';
import { failedPickResult, type ChillybinMetrics, type PickResult } from '../metrics';
import type { Stock } from '../stock';
import type { Writes } from '../writes';

/** Step 1 of the foxtrot shipped /v2/pick: from then on, v1 /pick says it is on its way out. */
export const PICK_V1_DEPRECATION = {
  deprecatedAt: new Date('2026-11-22T00:00:00Z'),
  sunsetAt: new Date('2027-05-22T00:00:00Z'),
  successor: '/v2/pick',
} as const;

export interface V1Dependencies {
  readonly stock: Stock;
  /** `pick.v1`: off, and v1 /pick is gone (410). */
  readonly flags: ChillybinFlags;
  readonly metrics: ChillybinMetrics;
  /** Every write goes through it: it waits for a locked database without blocking (writes.ts). */
  readonly writes: Writes;
  /** Unset: POST /restock is open (the laptop demo). Set: it needs `Authorization: Bearer <adminToken>`. */
  readonly adminToken?: string | undefined;
  /** The limit on public writes, shared with /v2/pick so a client cannot double it by switching API. */
  readonly writeLimit?: RequestHandler;
}

/** The original API: stock levels, one-ingredient picks (deprecated), restock (admin). */
export function v1Routes({ stock, flags, metrics, writes, adminToken, writeLimit = writeRateLimit(undefined) }: V1Dependencies): Route[] {
  const levels = async (_req: Request, res: Response) => {
    res.json(await stock.levels());
  };

  // GET and POST both pick: old clients used GET, which is why v2 exists (see docs/foxtrot.md).
  const pick = async (req: Request, res: Response) => {
    let result: PickResult = 'invalid';
    try {
      // Step 3 of the foxtrot is this flag: FLAG_PICK_V1=off and v1 is gone, with a pointer on.
      if (!flags.isEnabled('pick.v1')) {
        result = 'gone';
        throw new HttpError('gone', 'v1 /pick has been removed; use POST /v2/pick (see the Link header)');
      }
      refuseUnknownFields(req.query, ['name', 'quantity'], 'query string');
      const name = ingredientName(req.query);
      const quantity = pickQuantity(req.query);
      await writes.run(() => stock.pick(name, quantity));
      result = 'picked';
      res.type('text/plain').send('ok');
    } catch (error) {
      result = failedPickResult(error) ?? result;
      throw error;
    } finally {
      metrics.pick('v1', result);
    }
  };
  const deprecation = deprecated(PICK_V1_DEPRECATION);
  const picking = [deprecation, writeLimit, pick];

  // The one admin route: it can set any stock level, so it is the one that needs a token.
  // Amounts come in the body only: `?cheese=1000` used to be ignored and meant "reset to defaults".
  const restock = async (req: Request, res: Response) => {
    const amounts = restockBody(req.body, DEFAULT_STOCK);
    res.json(await writes.run(() => stock.restock(amounts)));
  };

  return [
    { method: 'GET', path: '/', handlers: [levels] },
    // v1PickAnswers: the stock's refusals as v1 always answered them, 410
    { method: 'GET', path: '/pick', handlers: picking, answers: v1PickAnswers, changesState: true },
    { method: 'POST', path: '/pick', handlers: picking, answers: v1PickAnswers },
    { method: 'POST', path: '/restock', handlers: [requireBearerToken(adminToken), onlyQueryParameters(), requireJsonBody, restock] },
  ];
}
