import { createFlags } from '@toasties/flags';
import { createHealth } from '@toasties/health';
import { clusterQuery, createLogger, createMetrics } from '@toasties/observability';
import { createApp, createMachine, createToastieMaker, uncounted } from '../src/app';
import type { ChillybinClient } from '../src/chillybin-client';
import { FLAGS } from '../src/flags';

/** A jafflr app over a stand-in chillybin client, as main.ts would build it (no cooking time, no flags set). */
export function buildJafflr(chillybin: ChillybinClient, { rateLimitPerMinute }: { readonly rateLimitPerMinute?: number } = {}) {
  const machine = createMachine();
  const maker = createToastieMaker({ chillybin, flags: createFlags(FLAGS), machine, cookTimeScale: 0 });
  const health = createHealth({ service: 'jafflr', version: 'test', checks: {} });
  const logger = createLogger({ service: 'jafflr', version: 'test', level: 'silent', format: 'json' });
  const metrics = createMetrics({ version: 'test', defaultMetrics: false });
  const app = createApp({ maker, machines: clusterQuery('jafflr.machine', () => machine.status()), health, logger, metrics, business: uncounted, rateLimitPerMinute });
  return { app, machine };
}
