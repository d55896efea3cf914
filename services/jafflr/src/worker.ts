// One jafflr worker: chillybin client → app → serve. Loaded by main.ts only in a process that
// serves (a cluster worker, or the single process of WORKERS=0): the primary never needs
// express, undici or prom-client.
import { serverSettings } from '@toasties/config';
import { createFlags, flagOptions } from '@toasties/flags';
import { createClusterStatus, serve } from '@toasties/graceful';
import { createHealth } from '@toasties/health';
import { answerProtocolErrorsAsJson } from '@toasties/http';
import { createMetrics, type Logger } from '@toasties/observability';
import { createApp } from './app';
import { createChillybinClient } from './chillybin-client';
import type { Config } from './config';
import { FLAGS } from './flags';
import { createMachine } from './machine';
import { createJafflrMetrics } from './metrics';
import { createToastieMaker } from './toastie-maker';

export async function startWorker(config: Config, logger: Logger): Promise<void> {
  const metrics = createMetrics({ version: config.VERSION });
  const business = createJafflrMetrics(metrics.registry);
  const chillybin = createChillybinClient({ baseUrl: config.CHILLYBIN_URL, serviceToken: config.SERVICE_TOKEN, timeoutMs: config.CHILLYBIN_TIMEOUT_MS, maxConnections: config.CHILLYBIN_MAX_CONNECTIONS, onCall: business.chillybinCall });
  const flags = createFlags(FLAGS, { ...flagOptions(config, FLAGS, 'jafflr'), logger });
  const machine = createMachine();
  const maker = createToastieMaker({ chillybin, flags, machine, cookTimeScale: config.COOK_TIME_SCALE });
  const clusterStatus = createClusterStatus(); // who serves, for /health
  const health = createHealth({ service: 'jafflr', version: config.VERSION, checks: { chillybin: () => chillybin.health() }, details: clusterStatus.details });
  const readiness = async () => (await health.readiness()).ready;
  metrics.trackReadiness(readiness);
  const running = await serve(createApp({ maker, machine, health, logger, metrics, business, rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE }), {
    ...serverSettings(config),
    logger,
    readiness,
    clusterStatus,
    onShutdownStart: health.beginShutdown,
    cleanups: [() => flags.close(), () => chillybin.close()],
  });
  // node's own answers (431, 400, 408, 417, CONNECT) in the same JSON shape as the app's
  answerProtocolErrorsAsJson(running.server);
}
