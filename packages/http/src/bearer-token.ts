import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { HttpError } from './errors';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `<scheme> <credentials>`: the scheme is case-insensitive (RFC 9110, 11.1), the credential is everything after it. */
const AUTHORIZATION = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) +(.+)$/;

/**
 * Guards admin routes with `Authorization: Bearer <token>`. With no token configured the
 * route is open (the laptop demo); with one, anything else is 401. The whole credential is
 * compared, never its first word, so `Bearer <token> junk` does not pass. The comparison is
 * constant-time over fixed-length digests, so neither the content nor the length of the
 * token leaks through response timing. (Config refuses a token that is not RFC 6750's
 * token68, e.g. one with a blank: see bearerToken() in @toasties/config.)
 */
export function requireBearerToken(token: string | undefined): RequestHandler {
  if (!token) return (_req, _res, next) => next();
  const presents = presentsBearerToken(token);
  return (req, _res, next) => {
    if (presents(req)) return next();
    next(new HttpError('unauthorized', 'this route needs Authorization: Bearer <ADMIN_TOKEN>', { headers: { 'WWW-Authenticate': 'Bearer' } }));
  };
}

/** Whether a request carries `Authorization: Bearer <token>`, the whole credential, compared in constant time. */
export function presentsBearerToken(token: string): (req: Request) => boolean {
  const expected = digest(token);
  return (req) => {
    const [, scheme, given] = AUTHORIZATION.exec(req.headers.authorization ?? '') ?? [];
    return scheme?.toLowerCase() === 'bearer' && given !== undefined && timingSafeEqual(digest(given), expected);
  };
}
