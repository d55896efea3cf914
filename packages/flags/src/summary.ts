import { withoutUserinfo } from '@toasties/config';
import { envVariable, type FlagDefinitions } from './definitions';
import type { FlagsOptions } from './flags';
import { ruleText, type Rule } from './rule';

export type FlagSource = 'env' | 'unleash' | 'default';

export interface FlagInEffect {
  readonly value: string;
  readonly source: FlagSource;
}

/** For the one start-up line: what a person set (or mistyped) shows there, not only in the answers. */
export function flagsInEffect<D extends FlagDefinitions>(definitions: D, { overrides, unleash }: Pick<FlagsOptions<keyof D & string>, 'overrides' | 'unleash'>) {
  const flags: Record<string, FlagInEffect> = {};
  for (const [flag, { default: enabled }] of Object.entries(definitions)) {
    const override = (overrides as Partial<Record<string, Rule>>)[flag];
    if (override) flags[flag] = { value: ruleText(override), source: 'env' };
    else if (unleash) flags[flag] = { value: `${enabled ? 'on' : 'off'} until ${withoutUserinfo(unleash.url)} answers`, source: 'unleash' };
    else flags[flag] = { value: enabled ? 'on' : 'off', source: 'default' };
  }
  const described = Object.entries(flags).map(([flag, { value, source }]) => `${flag}=${value} (${source === 'env' ? `env ${envVariable(flag)}` : source})`);
  return { flags, message: `flags: ${described.join(', ')}` };
}
