import type { Request, RequestHandler, Response } from 'express';
import { deprecated, HttpError, refuseUnknownFields, requireJsonBody, writeRateLimit, type Route } from '@toasties/http';
import { requestIdOf, type ClusterQuery } from '@toasties/observability';
import { KeyReused, OutOfStock, parseIdempotencyKey } from '@toasties/contract';
import { ChillybinTimeout, ChillybinUnavailable } from '../chillybin-client';
import { combinedStatus, type MachineStatus } from '../machine';
import type { JafflrMetrics, ToastieResult } from '../metrics';
import type { ToastieMaker } from '../toastie-maker';
import { parseToastieOrder, TOASTIE_FIELDS } from '../toastie-order';

function resultOf(error: unknown): ToastieResult {
  if (error instanceof OutOfStock) return 'out_of_stock';
  if (error instanceof KeyReused) return 'invalid';
  if (error instanceof ChillybinTimeout) return 'chillybin_timeout';
  if (error instanceof ChillybinUnavailable) return 'chillybin_unavailable';
  return 'error';
}

/** A JSON body when there is one, else the query string; never a mix, and never an unread field. */
function orderFields(req: Request): Record<string, unknown> {
  if (req.body === undefined) {
    refuseUnknownFields(req.query, TOASTIE_FIELDS, 'query string');
    return req.query;
  }
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
    throw new HttpError('invalid_body', 'the body must be a JSON object, e.g. {"i": ["cheese"]}');
  }
  if (Object.keys(req.query).length > 0) {
    throw new HttpError('query_and_body', 'give the toastie in the query string or in the JSON body, not both');
  }
  refuseUnknownFields(req.body, TOASTIE_FIELDS, 'body');
  return req.body as Record<string, unknown>;
}

/** GET changes state here, which GET must not: kept for old clients, marked for removal. */
export const GET_TOASTIE_DEPRECATION = {
  deprecatedAt: new Date('2026-11-22T00:00:00Z'),
  sunsetAt: new Date('2027-05-22T00:00:00Z'),
  successor: '/toastie',
} as const;

export interface ToastieDependencies {
  readonly maker: ToastieMaker;
  readonly machines: ClusterQuery<MachineStatus>;
  readonly metrics: JafflrMetrics;
  /** On both verbs of /toastie: both take stock. */
  readonly writeLimit?: RequestHandler;
}

export function toastieRoutes({ maker, machines, metrics, writeLimit = writeRateLimit(undefined) }: ToastieDependencies): Route[] {
  // A worker that did not answer in time is named.
  const status = async (_req: Request, res: Response) => {
    const { answers, missing } = await machines.ask();
    res.json({ ...combinedStatus(answers.map((answer) => answer.value)), ...(missing.length > 0 ? { missingWorkers: missing } : {}) });
  };

  const makeToastie = async (req: Request, res: Response) => {
    let order, idempotencyKey;
    try {
      order = parseToastieOrder(orderFields(req));
      idempotencyKey = parseIdempotencyKey(req.get('Idempotency-Key'));
    } catch (error) {
      metrics.toastie('invalid', 'invalid');
      throw error;
    }
    try {
      const { made, replayed } = await maker.make(order, idempotencyKey, requestIdOf(res));
      if (replayed) res.set('Idempotent-Replayed', 'true');
      res.json(made);
      metrics.toastie(order.doneness, replayed ? 'replayed' : 'made');
    } catch (error) {
      metrics.toastie(order.doneness, resultOf(error));
      throw error; // answered by answers.ts
    }
  };
  return [
    { method: 'GET', path: '/', handlers: [status] },
    { method: 'POST', path: '/toastie', handlers: [writeLimit, requireJsonBody, makeToastie] },
    { method: 'GET', path: '/toastie', handlers: [deprecated(GET_TOASTIE_DEPRECATION), writeLimit, makeToastie], changesState: true },
  ];
}
