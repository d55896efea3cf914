import type { RequestHandler } from 'express';
import { HttpError } from './errors';

/**
 * A body whose declared `Content-Length` is over the limit is refused from the header, at
 * once. The JSON parser would refuse it too, but only after reading (and throwing away) the
 * whole body, so a client that declares 10 MB and sends nothing held the connection with no
 * answer. `Connection: close` because the body is never read: the connection cannot carry
 * another request after it.
 */
export function refuseDeclaredOversize(limitBytes: number): RequestHandler {
  return (req, res, next) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared <= limitBytes) return next();
    res.set('Connection', 'close');
    next(new HttpError('payload_too_large', `the request body is too large; at most ${limitBytes} bytes`));
  };
}
