// One jafflr worker: chillybin client → app. Required by main.ts only in a process that
// serves: the primary never needs express, undici or prom-client.
import { createFlags, flagOptions } from '@toasties/flags';
import type { ServiceParts, WorkerRuntime } from '@toasties/graceful';
import type { Logger } from '@toasties/observability';
import { createApp } from './app';
import { createChillybinClient } from './chillybin-client';
import type { Config } from './config';
import { FLAGS } from './flags';
import { createMachine } from './machine';
import { createJafflrMetrics } from './metrics';
import { createToastieMaker } from './toastie-maker';

export async function buildWorker(config: Config, logger: Logger, { metrics, everyWorker }: WorkerRuntime): Promise<ServiceParts> {
  const business = createJafflrMetrics(metrics.registry);
  const chillybin = createChillybinClient({ baseUrl: config.CHILLYBIN_URL, serviceToken: config.SERVICE_TOKEN, timeoutMs: config.CHILLYBIN_TIMEOUT_MS, maxConnections: config.CHILLYBIN_MAX_CONNECTIONS, onCall: business.chillybinCall });
  const flags = createFlags(FLAGS, { ...flagOptions(config, FLAGS, 'jafflr'), logger });
  const machine = createMachine();
  const maker = createToastieMaker({ chillybin, flags, machine, cookTimeScale: config.COOK_TIME_SCALE });
  const machines = everyWorker('jafflr.machine', () => machine.status());
  return {
    checks: { chillybin: () => chillybin.health() },
    cleanups: [() => flags.close(), () => chillybin.close()],
    app: (health) => createApp({ maker, machines, health, logger, metrics, business, rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE }),
  };
}
