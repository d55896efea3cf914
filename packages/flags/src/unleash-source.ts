import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { once, type EventEmitter } from 'node:events';
import { InMemStorageProvider, Unleash, UnleashEvents } from 'unleash-client';
import { withoutUserinfo } from '@toasties/config';
import type { LogWriter } from '@toasties/observability/log-writer';

export interface UnleashOptions {
  readonly url: string;
  readonly apiToken?: string | undefined;
  readonly appName: string;
  readonly refreshIntervalMs: number;
  readonly metricsIntervalMs: number;
  readonly logger: LogWriter<'info' | 'warn'>;
}

export interface UnleashSource {
  isEnabled(flag: string, customer: string | undefined, fallback: boolean): boolean;
  synchronized(timeoutMs: number): Promise<void>;
  close(): void;
}

/** Through the official client: it polls, evaluation is local. */
export function connectUnleash({ url, apiToken, appName, refreshIntervalMs, metricsIntervalMs, logger }: UnleashOptions): UnleashSource {
  // Our own agent, not the client's module-wide keep-alive one, so close() can end its sockets.
  const agent = url.startsWith('https:') ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const unleash = new Unleash({
    appName,
    url,
    customHeaders: apiToken ? { Authorization: apiToken } : undefined,
    refreshInterval: refreshIntervalMs,
    metricsInterval: metricsIntervalMs,
  // No backup file in the temp directory: the defaults in code are the fallback.
    storageProvider: new InMemStorageProvider(),
    httpOptions: { agent: () => agent },
    skipInstanceCountWarning: true,
  });
  // unleash-client sends a URL's user and password as Basic auth: every line shows the URL without
  // them, and the client's own messages, which quote it, go through the same filter.
  const shown = withoutUserinfo(url);
  let ready = false;
  unleash.on(UnleashEvents.Ready, () => (ready = true));
  unleash.on(UnleashEvents.Synchronized, () => logger.info({ url: shown }, 'flags synchronized with unleash'));
  // An unreachable server is not fatal: flags keep their last (or default) values.
  unleash.on(UnleashEvents.Error, (error: unknown) => logger.warn({ err: scrubbed(error), url: shown }, 'unleash error'));
  unleash.on(UnleashEvents.Warn, (message: unknown) => logger.warn({ url: shown }, `unleash: ${withoutUserinfo(String(message))}`));

  return {
    isEnabled(flag, customer, fallback) {
      // Before the first fetch the client would answer the fallback and warn on every call.
      if (!ready) return fallback;
      return unleash.isEnabled(flag, customer === undefined ? {} : { userId: customer }, fallback);
    },
    async synchronized(timeoutMs) {
      if (unleash.isSynchronized()) return;
      try {
        await once(unleash, UnleashEvents.Synchronized, { signal: AbortSignal.timeout(timeoutMs) });
      } catch {
        throw new Error(`flags not synchronized with unleash at ${shown} within ${timeoutMs} ms`);
      }
    },
    close() {
      unleash.destroy();
      // destroy() strips the client's repository of its listeners: a fetch failing afterwards would
      // emit an 'error' nobody hears and crash the process. Keep one ear open.
      (unleash as unknown as { repository?: EventEmitter }).repository?.on(UnleashEvents.Error, () => undefined);
      agent.destroy();
    },
  };
}

function scrubbed(error: unknown): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  const copy = new Error(withoutUserinfo(original.message));
  copy.name = original.name;
  copy.stack = original.stack === undefined ? undefined : withoutUserinfo(original.stack);
  const { code } = original as { code?: unknown };
  if (code !== undefined) Object.assign(copy, { code });
  return copy;
}
