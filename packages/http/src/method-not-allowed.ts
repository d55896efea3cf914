import type { RequestHandler } from 'express';
import { HttpError } from './errors';

/** Mount after a path's real verbs: any other verb gets 405 JSON with an Allow header. */
export function methodNotAllowed(...allowed: string[]): RequestHandler {
  const allow = allowed.join(', ');
  return (req, _res, next) => {
    next(new HttpError('method_not_allowed', `${req.method} is not allowed here; use ${allow}`, { headers: { Allow: allow } }));
  };
}
