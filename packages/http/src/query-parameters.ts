import { parse } from 'node:querystring';
import type { RequestHandler } from 'express';
import { HttpError } from './errors';

/** Refused past the limit: node's querystring silently keeps the first 1000, so
 * `…&quantity=1&<998 more>&quantity=1000` would pass the "given once" rule. */
export function limitQueryParameters(limit: number): RequestHandler {
  return (req, _res, next) => {
    const query = req.originalUrl.split('?').slice(1).join('?');
    const count = query.split('&').filter((pair) => pair !== '').length;
    if (count <= limit) return next();
    next(new HttpError('too_many_parameters', `at most ${limit} query parameters are accepted; this request has ${count}`));
  };
}

/** Keeps every parameter: limitQueryParameters refuses rather than cuts. */
export const parseEveryParameter = (query: string): Record<string, unknown> => parse(query, '&', '=', { maxKeys: 0 });
