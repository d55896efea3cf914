import type { LogWriter } from '@toasties/contract';
import { FLAGS, type FlagName } from './definitions';
import { ruleAllows, type Rule } from './rule';
import { connectUnleash, type UnleashOptions } from './unleash-source';


export interface FlagContext {
  /** Who is asking: the Unleash context's userId, and what lists and percentages match. */
  readonly customer?: string | undefined;
}

export interface FlagsOptions {
  /** Values from the environment (FLAG_PICK_V2=…); they always win over Unleash. */
  readonly overrides: Readonly<Partial<Record<FlagName, Rule>>>;
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

export interface Flags {
  /** Whether `flag` is on for this customer: environment, else Unleash, else the flag's default. */
  isEnabled(flag: FlagName, context?: FlagContext): boolean;
  /** Resolves once Unleash has been read (at once without Unleash); rejects after `timeoutMs`. */
  synchronized(timeoutMs?: number): Promise<void>;
  /** Stops polling Unleash and closes its connections. */
  close(): void;
}

export function createFlags(options: Partial<FlagsOptions> = {}): Flags {
  const { overrides, unleash, refreshIntervalMs, metricsIntervalMs, logger } = { ...defaults, ...options };
  const source = unleash ? connectUnleash({ ...unleash, refreshIntervalMs, metricsIntervalMs, logger }) : undefined;

  return {
    isEnabled(flag, { customer } = {}) {
      const override = overrides[flag];
      if (override) return ruleAllows(override, flag, customer);
      const fallback: boolean = FLAGS[flag].default;
      return source ? source.isEnabled(flag, customer, fallback) : fallback;
    },
    synchronized: async (timeoutMs = 5000) => source?.synchronized(timeoutMs),
    close: () => source?.close(),
  };
}
