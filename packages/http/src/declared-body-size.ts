import type { RequestHandler } from 'express';
import { HttpError } from './errors';

/** From the header, at once: the JSON parser would first read (and throw away) the whole body.
 * `Connection: close` because the body is never read, so the connection cannot carry another request. */
export function refuseDeclaredOversize(limitBytes: number): RequestHandler {
  return (req, res, next) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared <= limitBytes) return next();
    res.set('Connection', 'close');
    next(new HttpError('payload_too_large', `the request body is too large; at most ${limitBytes} bytes`));
  };
}
