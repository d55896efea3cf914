import cluster from 'node:cluster';
import type { Request, RequestHandler, Response } from 'express';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValue, type PrometheusContentType } from 'prom-client';
import { clusterQuery, type ClusterAnswers } from './cluster-query';

export interface MetricsOptions {
  readonly version: string;
  /** Of the app's own, so that tests can build many apps in one process. */
  readonly registry: Registry;
  readonly defaultMetrics: boolean;
}

export interface Metrics {
  readonly registry: Registry;
  readonly httpMetrics: RequestHandler;
  /** In a cluster, every worker's series, summed. */
  readonly endpoint: (req: Request, res: Response) => Promise<void>;
  /** Over a cluster the minimum is kept: one worker not ready makes the service not ready. */
  trackReadiness(ready: () => Promise<boolean>): void;
}

/** A pick takes about a millisecond, a burnt toastie ten seconds. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** As declared (`/v2/orders/:id`), never the raw URL: one series per route, not one per order id. */
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

/** A worker that did not answer (stopped, stuck) is left out rather than failing the scrape, and named. */
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
