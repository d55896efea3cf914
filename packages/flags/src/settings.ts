import leven from 'leven';
import { FLAG_NAMES } from '@toasties/contract';
import { milliseconds } from '@toasties/config';
import * as z from 'zod';
import { envVariable, type EnvName, type FlagDefinitions } from './definitions';
import { parseRule, RULE_SYNTAX, SWITCH_SYNTAX, type Rule } from './rule';
import type { FlagsOptions } from './flags';

function ruleSetting(perCustomer: boolean) {
  return z.string().transform((text, ctx): Rule => {
    const parsed = parseRule(text, { perCustomer });
    if (!parsed) {
      ctx.addIssue({ code: 'custom', message: perCustomer ? RULE_SYNTAX : SWITCH_SYNTAX });
      return z.NEVER;
    }
    return parsed;
  });
}

type RuleSetting = z.ZodOptional<ReturnType<typeof ruleSetting>>;

export function flagSettings<D extends FlagDefinitions>(definitions: D) {
  const overrides = Object.fromEntries(Object.entries(definitions).map(([flag, { perCustomer }]) => [envVariable(flag), ruleSetting(perCustomer).optional()])) as {
    [F in keyof D & string as EnvName<F>]: RuleSetting;
  };
  return {
    ...overrides,
    UNLEASH_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    UNLEASH_API_TOKEN: z.string().min(1).optional(),
    UNLEASH_REFRESH_INTERVAL_MS: milliseconds(100).optional(),
    UNLEASH_METRICS_INTERVAL_MS: milliseconds(100).optional(),
  };
}

export interface FlagSettings {
  readonly UNLEASH_URL?: string | undefined;
  readonly UNLEASH_API_TOKEN?: string | undefined;
  readonly UNLEASH_REFRESH_INTERVAL_MS?: number | undefined;
  readonly UNLEASH_METRICS_INTERVAL_MS?: number | undefined;
}

export interface WithFlagsOptions {
  /** A FLAG_* variable naming none of these is refused. */
  readonly repositoryFlags: readonly string[];
}

export const withFlagsDefaults: WithFlagsOptions = { repositoryFlags: FLAG_NAMES };

/** FLAG_PICKV2, FLAG_PICK_v2, FLAG_V2_PICK → FLAG_PICK_V2, if any known name is close. */
export function closestVariable(name: string, known: Iterable<string>): string | undefined {
  const letters = (text: string) => text.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const words = (text: string) => text.toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean).sort().join(' ');
  let best: { variable: string; distance: number } | undefined;
  for (const variable of known) {
    const same = letters(variable) === letters(name) || words(variable) === words(name);
    const distance = same ? 0 : leven(name.toUpperCase(), variable);
    if (distance <= Math.max(2, Math.floor(variable.length / 4)) && (!best || distance < best.distance)) best = { variable, distance };
  }
  return best?.variable;
}

// `npm start` gives both services one environment: another service's flag is not this one's to read, but
// a value no flag could take fails here too, and a name no service reads is refused naming the one meant.
// `flag_pick_v2` counts: environment names are case-sensitive.
function otherFlagProblems(env: Readonly<Record<string, unknown>>, definitions: FlagDefinitions, repositoryFlags: readonly string[]) {
  const declared = new Set<string>(Object.keys(definitions).map((flag) => envVariable(flag)));
  const known: string[] = [...new Set([...repositoryFlags, ...Object.keys(definitions)].map((flag) => envVariable(flag)))].sort();
  const problems: { path: [string]; message: string }[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!/^FLAG_/i.test(name) || declared.has(name) || typeof value !== 'string') continue;
    if (!known.includes(name)) {
      const meant = closestVariable(name, known);
      problems.push({ path: [name], message: `no service of this repository reads this flag${meant ? `; did you mean ${meant}?` : ''} (flags: ${known.join(', ')})` });
    } else if (!parseRule(value)) {
      problems.push({ path: [name], message: RULE_SYNTAX });
    }
  }
  return problems;
}

/** Settings, flags and other FLAG_* variables are checked apart and every problem reported: an
 * intersection would try to merge the half-parsed values and throw instead of reporting. */
export function withFlags<D extends FlagDefinitions, S extends z.ZodType<object>>(definitions: D, schema: S, options: Partial<WithFlagsOptions> = {}) {
  const { repositoryFlags } = { ...withFlagsDefaults, ...options };
  const flags = z.object(flagSettings(definitions));
  return z.record(z.string(), z.unknown()).transform((env, ctx): z.output<S> & z.output<typeof flags> => {
    const settings = schema.safeParse(env);
    const flagValues = flags.safeParse(env);
    const issues = [...(settings.error?.issues ?? []), ...(flagValues.error?.issues ?? []), ...otherFlagProblems(env, definitions, repositoryFlags)];
    for (const { path, message } of issues) ctx.addIssue({ code: 'custom', path, message });
    if (!settings.success || !flagValues.success || issues.length > 0) return z.NEVER;
    return { ...settings.data, ...flagValues.data };
  });
}

export function flagOptions<D extends FlagDefinitions>(
  settings: FlagSettings,
  definitions: D,
  appName: string,
): Pick<FlagsOptions<keyof D & string>, 'overrides' | 'unleash'> & Partial<Pick<FlagsOptions, 'refreshIntervalMs' | 'metricsIntervalMs'>> {
  const chosen: Partial<Record<keyof D & string, Rule>> = {};
  const values = settings as Readonly<Record<string, unknown>>;
  for (const flag of Object.keys(definitions) as (keyof D & string)[]) {
    const value = values[envVariable(flag)] as Rule | undefined;
    if (value) chosen[flag] = value;
  }
  const unleash = settings.UNLEASH_URL ? { url: settings.UNLEASH_URL, apiToken: settings.UNLEASH_API_TOKEN, appName } : undefined;
  const { UNLEASH_REFRESH_INTERVAL_MS: refreshIntervalMs, UNLEASH_METRICS_INTERVAL_MS: metricsIntervalMs } = settings;
  // Only what is set: the defaults live in createFlags alone.
  return { overrides: chosen, unleash, ...(refreshIntervalMs === undefined ? {} : { refreshIntervalMs }), ...(metricsIntervalMs === undefined ? {} : { metricsIntervalMs }) };
}
