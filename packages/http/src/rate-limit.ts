import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { sendError } from './errors';

/**
 * A per-client limit for public write endpoints: `perMinute` requests a minute, then 429
 * JSON with Retry-After. Off (undefined) by default, so load tests and benchmarks measure
 * the service, not the limiter. Counts live in each process: with WORKERS=n a client
 * may get up to n × perMinute (a shared store would fix that; not worth it for a demo).
 */
export function writeRateLimit(perMinute: number | undefined): RequestHandler {
  if (!perMinute) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => sendError(res, 429, 'rate_limited', `at most ${perMinute} requests a minute; try again after Retry-After seconds`),
  });
}
