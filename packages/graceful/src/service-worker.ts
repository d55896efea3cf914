import type { RequestListener } from 'node:http';
import { serverSettings, type ServiceSettings } from '@toasties/config';
import type { LogWriter } from '@toasties/observability/log-writer';
import { createHealth, type Check, type Health } from '@toasties/health';
import { answerProtocolErrorsAsJson } from '@toasties/http';
import { clusterQuery, createMetrics, type ClusterQuery, type Metrics } from '@toasties/observability';
import { createClusterStatus } from './cluster-status';
import { serve } from './serve';

export interface WorkerRuntime {
  readonly metrics: Metrics;
  /** `ask()` resolves with the answers that came in time and names the workers that did not. One per topic, made while building. */
  everyWorker<T>(topic: string, local: () => T | Promise<T>): ClusterQuery<T>;
}

export interface ServiceParts {
  readonly app: (health: Health) => RequestListener;
  readonly checks?: Readonly<Record<string, Check>>;
  /** Run in order once every in-flight request has finished. */
  readonly cleanups?: ReadonlyArray<() => unknown>;
}

export type WorkerBuild = (runtime: WorkerRuntime) => Promise<ServiceParts>;

export interface ServiceWorkerOptions {
  readonly name: string;
  readonly config: ServiceSettings;
  readonly logger: LogWriter<'info' | 'warn' | 'error'>;
  readonly worker: WorkerBuild;
}

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
