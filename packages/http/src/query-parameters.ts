import { parse } from 'node:querystring';
import type { RequestHandler } from 'express';
import { HttpError } from './errors';

/**
 * How many parameters a query string may carry. Past it the request is refused: the
 * parser's own limit (node's querystring keeps the first 1000) cut the rest off silently, so
 * `…&quantity=1&<998 more>&quantity=1000` passed the "given once" rule.
 */
export function limitQueryParameters(limit: number): RequestHandler {
  return (req, _res, next) => {
    const query = req.originalUrl.split('?').slice(1).join('?');
    const count = query.split('&').filter((pair) => pair !== '').length;
    if (count <= limit) return next();
    next(new HttpError('too_many_parameters', `at most ${limit} query parameters are accepted; this request has ${count}`));
  };
}

/**
 * express's "query parser" setting: node's querystring, as express's default is, but keeping
 * every parameter. The limit is `limitQueryParameters`' job, which refuses rather than cuts.
 */
export const parseEveryParameter = (query: string): Record<string, unknown> => parse(query, '&', '=', { maxKeys: 0 });
