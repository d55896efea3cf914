import type { Request, RequestHandler, Response } from 'express';
import type { ChillybinFlags } from '../flags';
import { deprecated, HttpError, onlyQueryParameters, refuseUnknownFields, requireBearerToken, requireJsonBody, writeRateLimit, type Route } from '@toasties/http';
import { DEFAULT_STOCK } from '../default-stock';
import { v1OutcomeAnswer, v1PickAnswers } from '../answers';
import { ingredientName, pickQuantity, restockBody } from '../requests';
import { failedPickResult, pickResult, type ChillybinMetrics, type PickResult } from '../metrics';
import { pickV1, type Picking } from '../pick';
import { restock } from '../restock';

/** Step 1 of the foxtrot shipped /v2/pick: from then on, v1 /pick says it is on its way out. */
export const PICK_V1_DEPRECATION = {
  deprecatedAt: new Date('2026-11-22T00:00:00Z'),
  sunsetAt: new Date('2027-05-22T00:00:00Z'),
  successor: '/v2/pick',
} as const;

export interface V1Dependencies {
  /** The store and what the use cases need besides (pick.ts). */
  readonly picking: Picking;
  /** `pick.v1`: off, and v1 /pick is gone (410). */
  readonly flags: ChillybinFlags;
  readonly metrics: ChillybinMetrics;
  /** Unset: POST /restock is open (the laptop demo). Set: it needs `Authorization: Bearer <adminToken>`. */
  readonly adminToken?: string | undefined;
  /** The limit on public writes, shared with /v2/pick so a client cannot double it by switching API. */
  readonly writeLimit?: RequestHandler;
}

/** The original API: stock levels, one-ingredient picks (deprecated), restock (admin). */
export function v1Routes({ picking, flags, metrics, adminToken, writeLimit = writeRateLimit(undefined) }: V1Dependencies): Route[] {
  const { store } = picking;

  const levels = async (_req: Request, res: Response) => {
    res.json(await store.read((t) => t.stock.levels()));
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
      const outcome = await pickV1(picking, { ingredient: name, quantity });
      result = pickResult(outcome);
      const refused = v1OutcomeAnswer(outcome);
      if (refused) throw refused;
      res.type('text/plain').send('ok');
    } catch (error) {
      result = failedPickResult(error) ?? result;
      throw error;
    } finally {
      metrics.pick('v1', result);
    }
  };
  const picks = [deprecated(PICK_V1_DEPRECATION), writeLimit, pick];

  // The one admin route: it can set any stock level, so it is the one that needs a token.
  // Amounts come in the body only: a query string is refused.
  const restocking = async (req: Request, res: Response) => {
    const amounts = restockBody(req.body, DEFAULT_STOCK);
    res.json(await restock(store, amounts));
  };

  return [
    { method: 'GET', path: '/', handlers: [levels] },
    // v1PickAnswers: the stock's refusals as v1 always answered them, 410
    { method: 'GET', path: '/pick', handlers: picks, answers: v1PickAnswers, changesState: true },
    { method: 'POST', path: '/pick', handlers: picks, answers: v1PickAnswers },
    { method: 'POST', path: '/restock', handlers: [requireBearerToken(adminToken), onlyQueryParameters(), requireJsonBody, restocking] },
  ];
}
