import type { Request, RequestHandler, Response } from 'express';
import type { ChillybinFlags } from '../flags';
import { deprecated, HttpError, onlyQueryParameters, refuseUnknownFields, requireBearerToken, requireJsonBody, writeRateLimit, type Route } from '@toasties/http';
import { DEFAULT_STOCK } from '../default-stock';
import { v1OutcomeAnswer, v1PickAnswers } from '../answers';
import { ingredientName, pickQuantity, restockBody } from '../requests';
import { failedPickResult, pickResult, type ChillybinMetrics, type PickResult } from '../metrics';
import { pickV1, type Picking } from '../pick';
import { restock } from '../restock';

/** Step 1 of the foxtrot (docs/foxtrot.md). */
export const PICK_V1_DEPRECATION = {
  deprecatedAt: new Date('2026-11-22T00:00:00Z'),
  sunsetAt: new Date('2027-05-22T00:00:00Z'),
  successor: '/v2/pick',
} as const;

export interface V1Dependencies {
  readonly picking: Picking;
  /** `pick.v1` off: v1 /pick is gone (410). */
  readonly flags: ChillybinFlags;
  readonly metrics: ChillybinMetrics;
  readonly adminToken?: string | undefined;
  /** Shared with /v2/pick, so a client cannot double the limit by switching API. */
  readonly writeLimit?: RequestHandler;
}

export function v1Routes({ picking, flags, metrics, adminToken, writeLimit = writeRateLimit(undefined) }: V1Dependencies): Route[] {
  const { store } = picking;

  const levels = async (_req: Request, res: Response) => {
    res.json(await store.read((t) => t.stock.levels()));
  };

  // GET also picks: old clients used it, which is why v2 exists (docs/foxtrot.md).
  const pick = async (req: Request, res: Response) => {
    let result: PickResult = 'invalid';
    try {
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

  const restocking = async (req: Request, res: Response) => {
    const amounts = restockBody(req.body, DEFAULT_STOCK);
    res.json(await restock(store, amounts));
  };

  return [
    { method: 'GET', path: '/', handlers: [levels] },
    { method: 'GET', path: '/pick', handlers: picks, answers: v1PickAnswers, changesState: true },
    { method: 'POST', path: '/pick', handlers: picks, answers: v1PickAnswers },
    { method: 'POST', path: '/restock', handlers: [requireBearerToken(adminToken), onlyQueryParameters(), requireJsonBody, restocking] },
  ];
}
