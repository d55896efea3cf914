import cluster from 'node:cluster';
import type { Request, RequestHandler } from 'express';
import type { Store } from 'express-rate-limit';
import type { ClusterMemoryStorePrimary } from '@express-rate-limit/cluster-memory-store';
import type { LogWriter } from '@toasties/observability/log-writer';
import { HttpError, sendError } from './errors';


export interface WriteRateLimitOptions {
  /** Names this limit's counts in the cluster primary: two limits never share a count. */
  readonly name: string;
  /**
   * Requests that are not counted: trusted service callers (jafflr, with SERVICE_TOKEN) whose
   * own clients are limited where they arrive. Counting them here would make one caller
   * of everyone and stop a toastie half-way through its picks.
   */
  readonly exempt?: (req: Request) => boolean;
  /** Where a failing count store is reported; the request then goes through (see below). */
  readonly logger?: LogWriter<'warn' | 'error'>;
}

/**
 * The counts of every limit, kept in the cluster primary so that a limit holds across
 * workers (with WORKERS=n a client would otherwise get n × the limit). Call it once in
 * the primary before the workers start (runService's beforeWorkers); in a single process
 * (WORKERS=0) the counts stay in that process and this costs nothing.
 */
let primaryStore: ClusterMemoryStorePrimary | undefined;
export function serveClusterRateLimits(): void {
  if (primaryStore || !cluster.isPrimary) return;
  const { ClusterMemoryStorePrimary } = require('@express-rate-limit/cluster-memory-store') as typeof import('@express-rate-limit/cluster-memory-store');
  primaryStore = new ClusterMemoryStorePrimary();
  primaryStore.init();
}

/** In a cluster worker, the counts live in the primary; in a lone process (tests, WORKERS=0), in memory. */
function storeFor(name: string): Store | undefined {
  if (!cluster.isWorker) return undefined;
  const { ClusterMemoryStoreWorker } = require('@express-rate-limit/cluster-memory-store') as typeof import('@express-rate-limit/cluster-memory-store');
  return new ClusterMemoryStoreWorker({ prefix: name });
}

/**
 * A per-client limit for public write endpoints: `perMinute` requests a minute per client
 * address, then 429 JSON with a truthful Retry-After (the seconds until this client's
 * window ends). Off (undefined) by default, so load tests and benchmarks measure the
 * service, not the limiter. If the count store fails (the primary does not answer), the
 * request goes through and the failure is logged: the limiter is a guard, not a dependency.
 */
export function writeRateLimit(perMinute: number | undefined, { name, exempt, logger }: WriteRateLimitOptions = { name: 'writes' }): RequestHandler {
  if (!perMinute) return (_req, _res, next) => next();
  // Required here: a process without a limit (the default) does not load the limiter at start.
  const { rateLimit } = require('express-rate-limit') as typeof import('express-rate-limit');
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: storeFor(name),
    passOnStoreError: true,
    ...(exempt && { skip: exempt }),
    ...(logger && {
      logger: {
        warn: (error: unknown, message?: string) => logger.warn({ err: error }, message ?? 'rate limiter'),
        error: (error: unknown, message?: string) => logger.error({ err: error }, message ?? 'rate limiter'),
      },
    }),
    handler: (_req, res) => sendError(res, new HttpError('rate_limited', `at most ${perMinute} requests a minute; try again after Retry-After seconds`)),
  });
}
