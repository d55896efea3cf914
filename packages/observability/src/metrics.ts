import cluster from 'node:cluster';
import type { Request, RequestHandler, Response } from 'express';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsOptions {
  readonly version: string;
  /** A registry of the app's own, so that tests can build many apps in one process. */
  readonly registry: Registry;
  /** Process metrics (memory, event loop lag, …); off in tests that build many apps. */
  readonly defaultMetrics: boolean;
}

export interface Metrics {
  readonly registry: Registry;
  /** Times and counts every request by method, route template, status code and version. */
  readonly httpMetrics: RequestHandler;
  /** GET /metrics: the Prometheus text format; in a cluster, every worker's, summed. */
  readonly endpoint: (req: Request, res: Response) => Promise<void>;
  /**
   * Exposes `up_ready` (1 ready, 0 not) from the service's readiness, asked at scrape time.
   * Over a cluster the minimum is kept: one worker not ready makes the service not ready.
   */
  trackReadiness(ready: () => Promise<boolean>): void;
}

/** Buckets from 5 ms to 10 s: a pick takes about a millisecond, a burnt toastie ten seconds. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The route as declared (`/v2/orders/:id`), never the raw URL: one series per route,
 * not one per order id. A request that matched no route is "unmatched".
 */
function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

export function createMetrics(options: Partial<MetricsOptions> & Pick<MetricsOptions, 'version'>): Metrics {
  const { version, registry, defaultMetrics } = { registry: new Registry(), defaultMetrics: true, ...options };
  if (defaultMetrics) collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status_code', 'version'] as const;
  const duration = new Histogram({ name: 'http_request_duration_seconds', help: 'HTTP request duration', labelNames, buckets: DURATION_BUCKETS, registers: [registry] });
  const total = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered', labelNames, registers: [registry] });

  const httpMetrics: RequestHandler = (req, res, next) => {
    const stop = duration.startTimer();
    res.once('finish', () => {
      const labels = { method: req.method, route: routeOf(req), status_code: String(res.statusCode), version };
      stop(labels);
      total.inc(labels);
    });
    next();
  };

  if (cluster.isWorker) {
    // The primary asks each worker for its registry over IPC (prom-client's own protocol).
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([registry]);
  }

  const endpoint = async (_req: Request, res: Response) => {
    const text = cluster.isWorker ? await askPrimaryForClusterMetrics() : await registry.metrics();
    res.set('Content-Type', registry.contentType).send(text);
  };

  const trackReadiness = (ready: () => Promise<boolean>) => {
    new Gauge({
      name: 'up_ready',
      help: 'Whether the service passes its readiness checks (1) or not (0)',
      registers: [registry],
      aggregator: 'min',
      async collect() {
        this.set((await ready().catch(() => false)) ? 1 : 0);
      },
    });
  };

  return { registry, httpMetrics, endpoint, trackReadiness };
}

interface MetricsAnswer {
  readonly toasties: 'metrics';
  readonly id: number;
  readonly text?: string;
  readonly error?: string;
}

let nextId = 0;

/** A worker cannot see its siblings: the primary gathers all of them and answers. */
function askPrimaryForClusterMetrics(): Promise<string> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error('the primary did not answer with metrics in time')), 6000);
    function onMessage(message: unknown) {
      const answer = message as MetricsAnswer;
      if (answer?.toasties === 'metrics' && answer.id === id) finish(answer.error ? new Error(answer.error) : undefined, answer.text);
    }
    function finish(error?: Error, text?: string) {
      clearTimeout(timer);
      process.off('message', onMessage);
      if (error) reject(error);
      else resolve(text ?? '');
    }
    process.on('message', onMessage);
    process.send?.({ toasties: 'metrics-request', id });
  });
}

/** In the primary: answer workers' requests for the whole cluster's metrics. */
export function serveClusterMetrics(): void {
  if (!cluster.isPrimary) return;
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { toasties?: string; id?: number }) => {
    if (message?.toasties !== 'metrics-request') return;
    aggregator
      .clusterMetrics()
      .then((text) => worker.send({ toasties: 'metrics', id: message.id, text }, undefined, () => undefined))
      .catch((error: Error) => worker.send({ toasties: 'metrics', id: message.id, error: error.message }, undefined, () => undefined));
  });
}
