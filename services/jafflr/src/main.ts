#!/usr/bin/env node
// jafflr: config → chillybin client → app → serve. Wiring only.
import { serverSettings } from '@toasties/config';
import { createFlags, flagOptions } from '@toasties/flags';
import { serve } from '@toasties/graceful';
import { createHealth } from '@toasties/health';
import { createLogger } from '@toasties/observability';
import { createApp } from './app';
import { createChillybinClient } from './chillybin-client';
import { loadConfig } from './config';
import { createMachine } from './machine';
import { createToastieMaker } from './toastie-maker';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ service: 'jafflr', version: config.VERSION, level: config.LOG_LEVEL });

  const chillybin = createChillybinClient({ baseUrl: config.CHILLYBIN_URL, timeoutMs: config.CHILLYBIN_TIMEOUT_MS });
  const flags = createFlags({ ...flagOptions(config, 'jafflr'), logger });
  const machine = createMachine();
  const maker = createToastieMaker({ chillybin, flags, machine, cookTimeScale: config.COOK_TIME_SCALE });
  const health = createHealth({ service: 'jafflr', version: config.VERSION, checks: { chillybin: () => chillybin.health() } });
  const app = createApp({ maker, machine, health, logger });

  await serve(app, {
    ...serverSettings(config),
    logger,
    onShutdownStart: health.beginShutdown,
    cleanups: [() => flags.close(), () => chillybin.close()],
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`jafflr failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
