import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { once, type EventEmitter } from 'node:events';
import { InMemStorageProvider, Unleash, UnleashEvents } from 'unleash-client';
import { withoutUserinfo } from '@toasties/config';
import type { LogWriter } from '@toasties/observability/log-writer';

export interface UnleashOptions {
  /** The server's client API, e.g. http://unleash:4242/api. */
  readonly url: string;
  /** A client token; sent as the Authorization header. */
  readonly apiToken?: string | undefined;
  /** How this service shows up in Unleash (and in its metrics). */
  readonly appName: string;
  readonly refreshIntervalMs: number;
  readonly metricsIntervalMs: number;
  readonly logger: LogWriter<'info' | 'warn'>;
}

export interface UnleashSource {
  /** The flag for this customer (Unleash context userId); `fallback` until the first fetch. */
  isEnabled(flag: string, customer: string | undefined, fallback: boolean): boolean;
  /** Resolves after the first successful fetch of the flags; rejects after `timeoutMs`. */
  synchronized(timeoutMs: number): Promise<void>;
  close(): void;
}

/** Flags from an Unleash server, through the official client (it polls; evaluation is local). */
export function connectUnleash({ url, apiToken, appName, refreshIntervalMs, metricsIntervalMs, logger }: UnleashOptions): UnleashSource {
  // Our own agent rather than the client's module-wide keep-alive one, so close() can end
  // its sockets: nothing is left open after shutdown (or after a jest test).
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
  // UNLEASH_URL may carry a user and password (unleash-client sends them as Basic auth):
  // every line below shows the URL without them, and the client's own messages, which
  // quote the URL, go through the same filter.
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
      // destroy() strips the client's repository of its listeners, so a fetch still in
      // flight that fails afterwards (server down at shutdown) would emit an 'error' nobody
      // hears and crash the process (compare Unleash/unleash-node-sdk#672). Keep one ear open.
      (unleash as unknown as { repository?: EventEmitter }).repository?.on(UnleashEvents.Error, () => undefined);
      agent.destroy();
    },
  };
}

/** An error as the log shows it: name, code and stack kept, any URL's userinfo taken out. */
function scrubbed(error: unknown): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  const copy = new Error(withoutUserinfo(original.message));
  copy.name = original.name;
  copy.stack = original.stack === undefined ? undefined : withoutUserinfo(original.stack);
  const { code } = original as { code?: unknown };
  if (code !== undefined) Object.assign(copy, { code });
  return copy;
}
