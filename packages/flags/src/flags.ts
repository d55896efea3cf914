import type { LogWriter } from '@toasties/observability/log-writer';
import type { FlagDefinitions } from './definitions';
import { ruleAllows, type Rule } from './rule';
import type { UnleashOptions, UnleashSource } from './unleash-source';

export interface FlagContext {
  /** Unleash's userId, and what lists and percentages match. */
  readonly customer?: string | undefined;
}

export interface FlagsOptions<Name extends string = string> {
  /** FLAG_PICK_V2=…; always wins over Unleash. */
  readonly overrides: Readonly<Partial<Record<Name, Rule>>>;
  /** Without it no network is used. */
  readonly unleash: Pick<UnleashOptions, 'url' | 'apiToken' | 'appName'> | undefined;
  readonly refreshIntervalMs: number;
  readonly metricsIntervalMs: number;
  readonly logger: LogWriter<'info' | 'warn'>;
}

export const defaults: FlagsOptions = {
  overrides: {},
  unleash: undefined,
  refreshIntervalMs: 15_000,
  metricsIntervalMs: 60_000,
  logger: { info: () => undefined, warn: () => undefined },
};

export interface Flags<Name extends string = string> {
  /** The environment, else Unleash, else the flag's default. */
  isEnabled(flag: Name, context?: FlagContext): boolean;
  /** At once without Unleash; rejects after `timeoutMs`. */
  synchronized(timeoutMs?: number): Promise<void>;
  close(): void;
}

export function createFlags<D extends FlagDefinitions>(definitions: D, options: Partial<FlagsOptions<keyof D & string>> = {}): Flags<keyof D & string> {
  const { overrides, unleash, refreshIntervalMs, metricsIntervalMs, logger } = { ...defaults, ...options };
  const source = unleash ? unleashSource().connectUnleash({ ...unleash, refreshIntervalMs, metricsIntervalMs, logger }) : undefined;

  return {
    isEnabled(flag, { customer } = {}) {
      const override = (overrides as Partial<Record<string, Rule>>)[flag];
      if (override) return ruleAllows(override, flag, customer);
      const fallback = definitions[flag]!.default;
      return source ? source.isEnabled(flag, customer, fallback) : fallback;
    },
    synchronized: async (timeoutMs = 5000) => source?.synchronized(timeoutMs),
    close: () => source?.close(),
  };
}

/** unleash-client is a large part of a start, so only a service with an UNLEASH_URL loads it. */
function unleashSource(): { connectUnleash: (options: UnleashOptions) => UnleashSource } {
  return require('./unleash-source') as typeof import('./unleash-source');
}
