import type { RequestListener } from 'node:http';
import { serverSettings, type ServiceSettings } from '@toasties/config';
import type { LogWriter } from '@toasties/observability/log-writer';
import { createHealth, type Check, type Health } from '@toasties/health';
import { answerProtocolErrorsAsJson } from '@toasties/http';
import { clusterQuery, createMetrics, type ClusterQuery, type Metrics } from '@toasties/observability';
import { createClusterStatus } from './cluster-status';
import { serve } from './serve';

/** What runService gives a worker's build. */
export interface WorkerRuntime {
  /** This worker's metrics registry; GET /metrics (metrics.endpoint) answers for every worker. */
  readonly metrics: Metrics;
  /**
   * Asks every worker of the service for what only each of them knows (its own counters):
   * `local` is this worker's answer, and `ask()` resolves with the answer of every worker
   * that answered in time, naming the ones that did not. One per topic, made while building.
   */
  everyWorker<T>(topic: string, local: () => T | Promise<T>): ClusterQuery<T>;
}

/** What a worker's build gives back to runService. */
export interface ServiceParts {
  /** The app, given the health endpoints to mount (health.router: GET /health, GET /health/ready). */
  readonly app: (health: Health) => RequestListener;
  /** Readiness checks by name: each resolves when healthy, throws or rejects when not. */
  readonly checks?: Readonly<Record<string, Check>>;
  /** Run in order once every in-flight request has finished: close databases, clients, flags. */
  readonly cleanups?: ReadonlyArray<() => unknown>;
}

export type WorkerBuild = (runtime: WorkerRuntime) => Promise<ServiceParts>;

export interface ServiceWorkerOptions {
  readonly name: string;
  readonly config: ServiceSettings;
  readonly logger: LogWriter<'info' | 'warn' | 'error'>;
  readonly worker: WorkerBuild;
}

/**
 * One process that serves: the service's parts, its health (which lists the workers the
 * primary announces, so a deploy can confirm who serves), readiness as the gauge `up_ready`
 * and as the gate a replacement worker waits at, and node's own protocol errors in JSON.
 */
export async function startServiceWorker({ name, config, logger, worker }: ServiceWorkerOptions): Promise<void> {
  const metrics = createMetrics({ version: config.VERSION });
  const { app, checks = {}, cleanups = [] } = await worker({ metrics, everyWorker: clusterQuery });
  const clusterStatus = createClusterStatus();
  const health = createHealth({ service: name, version: config.VERSION, checks, details: clusterStatus.details });
  const readiness = async () => (await health.readiness()).ready;
  metrics.trackReadiness(readiness);
  const running = await serve(app(health), {
    ...serverSettings(config),
    logger,
    readiness,
    clusterStatus,
    onShutdownStart: health.beginShutdown,
    cleanups,
  });
  answerProtocolErrorsAsJson(running.server);
}
