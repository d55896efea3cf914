import type { LogWriter } from '@toasties/observability/log-writer';
import type { FlagDefinitions } from './definitions';
import { ruleAllows, type Rule } from './rule';
import type { UnleashOptions, UnleashSource } from './unleash-source';

export interface FlagContext {
  /** Who is asking: the Unleash context's userId, and what lists and percentages match. */
  readonly customer?: string | undefined;
}

export interface FlagsOptions<Name extends string = string> {
  /** Values from the environment (FLAG_PICK_V2=…); they always win over Unleash. */
  readonly overrides: Readonly<Partial<Record<Name, Rule>>>;
  /** Where Unleash is; without it no network is used and flags are overrides or defaults. */
  readonly unleash: Pick<UnleashOptions, 'url' | 'apiToken' | 'appName'> | undefined;
  readonly refreshIntervalMs: number;
  readonly metricsIntervalMs: number;
  /** Where Unleash's news goes (synchronised, unreachable). */
  readonly logger: LogWriter<'info' | 'warn'>;
}

export const defaults: FlagsOptions = {
  overrides: {},
  unleash: undefined,
  refreshIntervalMs: 15_000,
  metricsIntervalMs: 60_000,
  logger: { info: () => undefined, warn: () => undefined },
};

/** The flags of one service; `Name` is the flags it declares, so another name does not compile. */
export interface Flags<Name extends string = string> {
  /** Whether `flag` is on for this customer: environment, else Unleash, else the flag's default. */
  isEnabled(flag: Name, context?: FlagContext): boolean;
  /** Resolves once Unleash has been read (at once without Unleash); rejects after `timeoutMs`. */
  synchronized(timeoutMs?: number): Promise<void>;
  /** Stops polling Unleash and closes its connections. */
  close(): void;
}

/** `definitions`: the service's own flags (defineFlags); `options` merged over `defaults`. */
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

/**
 * unleash-client (200 modules, ~130 ms of every start) is loaded only by a service that has an
 * UNLEASH_URL: without one, flags are the environment's or their defaults.
 */
function unleashSource(): { connectUnleash: (options: UnleashOptions) => UnleashSource } {
  return require('./unleash-source') as typeof import('./unleash-source');
}
