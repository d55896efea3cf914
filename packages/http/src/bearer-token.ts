import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './errors';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Guards admin routes with `Authorization: Bearer <token>`. With no token configured the
 * route is open (the laptop demo); with one, anything else is 401. The comparison is
 * constant-time over fixed-length digests, so neither the content nor the length of the
 * token leaks through response timing.
 */
export function requireBearerToken(token: string | undefined): RequestHandler {
  if (!token) return (_req, _res, next) => next();
  const expected = digest(token);
  return (req, _res, next) => {
    const [scheme, given] = (req.headers.authorization ?? '').split(' ');
    if (scheme === 'Bearer' && given && timingSafeEqual(digest(given), expected)) return next();
    next(new HttpError(401, 'unauthorized', 'this route needs Authorization: Bearer <ADMIN_TOKEN>', { 'WWW-Authenticate': 'Bearer' }));
  };
}
