import cluster from 'node:cluster';
import type { Request, RequestHandler, Response } from 'express';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValue, type PrometheusContentType } from 'prom-client';
import { clusterQuery, type ClusterAnswers } from './cluster-query';

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

  // Every worker answers with its registry; the one scraped sums them (cluster-query.ts).
  const perWorker = clusterQuery('metrics', () => registry.getMetricsAsJSON());

  const endpoint = async (_req: Request, res: Response) => {
    const text = cluster.isWorker ? clusterText(await perWorker.ask()) : registry.metrics();
    res.set('Content-Type', registry.contentType).send(await text);
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

/**
 * Every answering worker's series, summed (each keeping its `version` label), plus which
 * workers answered: a worker that did not (stopped, stuck) is left out rather than failing
 * the scrape, and named in `cluster_worker_scrape_success` (0) and in a comment.
 */
async function clusterText({ answers, missing, timeoutMs }: ClusterAnswers<MetricObjectWithValues<MetricValue<string>>[]>): Promise<string> {
  const summed = AggregatorRegistry.aggregate<PrometheusContentType>(answers.map((answer) => answer.value));
  const scrape = new Registry();
  const success = new Gauge({
    name: 'cluster_worker_scrape_success',
    help: 'Whether each worker answered this scrape in time (1) or not (0, and its series are missing from it)',
    labelNames: ['worker_pid'],
    registers: [scrape],
  });
  for (const { pid } of answers) success.set({ worker_pid: String(pid) }, 1);
  for (const pid of missing) success.set({ worker_pid: String(pid) }, 0);
  const notes = missing.map((pid) => `# worker ${pid} did not answer within ${timeoutMs} ms: its series are missing from this scrape\n`).join('');
  return notes + (await Registry.merge([summed, scrape]).metrics());
}
