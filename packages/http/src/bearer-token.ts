import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { HttpError } from './errors';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The scheme is case-insensitive (RFC 9110 §11.1); the credential is everything after it. */
const AUTHORIZATION = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) +(.+)$/;

/** With no token the route is open (the laptop demo). The whole credential is compared, never its first word;
 * over fixed-length digests in constant time, so neither content nor length leaks through timing. */
export function requireBearerToken(token: string | undefined): RequestHandler {
  if (!token) return (_req, _res, next) => next();
  const presents = presentsBearerToken(token);
  return (req, _res, next) => {
    if (presents(req)) return next();
    next(new HttpError('unauthorized', 'this route needs Authorization: Bearer <ADMIN_TOKEN>', { headers: { 'WWW-Authenticate': 'Bearer' } }));
  };
}

export function presentsBearerToken(token: string): (req: Request) => boolean {
  const expected = digest(token);
  return (req) => {
    const [, scheme, given] = AUTHORIZATION.exec(req.headers.authorization ?? '') ?? [];
    return scheme?.toLowerCase() === 'bearer' && given !== undefined && timingSafeEqual(digest(given), expected);
  };
}
