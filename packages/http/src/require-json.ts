import type { Request, RequestHandler } from 'express';
import { HttpError } from './errors';

/** The test HTTP itself uses (RFC 9112 §6.3): a body is announced by one of these headers. */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** Refused, not ignored: a form-encoded restock must not quietly mean "reset to defaults". */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (hasBody(req) && !req.is('application/json')) {
    return next(new HttpError('unsupported_media_type', 'send the body as application/json'));
  }
  next();
};
