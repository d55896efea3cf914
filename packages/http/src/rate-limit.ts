import cluster from 'node:cluster';
import type { Request, RequestHandler } from 'express';
import type { Store } from 'express-rate-limit';
import type { ClusterMemoryStorePrimary } from '@express-rate-limit/cluster-memory-store';
import type { LogWriter } from '@toasties/observability/log-writer';
import { HttpError, sendError } from './errors';


export interface WriteRateLimitOptions {
  /** Names this limit's counts in the cluster primary: two limits never share a count. */
  readonly name: string;
  /** Trusted service callers (jafflr, with SERVICE_TOKEN) whose own clients are limited where they arrive:
   * counting them would make one caller of everyone and stop a toastie half-way through its picks. */
  readonly exempt?: (req: Request) => boolean;
  readonly logger?: LogWriter<'warn' | 'error'>;
}

// Counts live in the cluster primary so a limit holds across workers (not n × the limit). Call once in
// the primary before the workers start; with WORKERS=0 the counts stay in the process.
let primaryStore: ClusterMemoryStorePrimary | undefined;
export function serveClusterRateLimits(): void {
  if (primaryStore || !cluster.isPrimary) return;
  const { ClusterMemoryStorePrimary } = require('@express-rate-limit/cluster-memory-store') as typeof import('@express-rate-limit/cluster-memory-store');
  primaryStore = new ClusterMemoryStorePrimary();
  primaryStore.init();
}

function storeFor(name: string): Store | undefined {
  if (!cluster.isWorker) return undefined;
  const { ClusterMemoryStoreWorker } = require('@express-rate-limit/cluster-memory-store') as typeof import('@express-rate-limit/cluster-memory-store');
  return new ClusterMemoryStoreWorker({ prefix: name });
}

/** Off by default, so load tests measure the service, not the limiter. A failing count store lets the
 * request through, logged: the limiter is a guard, not a dependency. */
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
