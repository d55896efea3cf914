import { z } from 'zod';
import { envVariable, type EnvName, type FlagDefinitions } from './definitions';
import { parseRule, RULE_SYNTAX, SWITCH_SYNTAX, type Rule } from './rule';
import type { FlagsOptions } from './flags';

/** A flag's variable: the forms it accepts depend on whether the flag is read per customer. */
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

/** The variables a service's flags are read from, and Unleash's. */
export function flagSettings<D extends FlagDefinitions>(definitions: D) {
  const overrides = Object.fromEntries(Object.entries(definitions).map(([flag, { perCustomer }]) => [envVariable(flag), ruleSetting(perCustomer).optional()])) as {
    [F in keyof D & string as EnvName<F>]: RuleSetting;
  };
  return {
    ...overrides,
    /** Where the Unleash server's client API lives, e.g. http://unleash:4242/api. */
    UNLEASH_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    /** A client token, sent as the Authorization header. */
    UNLEASH_API_TOKEN: z.string().min(1).optional(),
  };
}

/** What flagOptions() reads from a validated config: Unleash's variables, and each flag's by its name. */
export interface FlagSettings {
  readonly UNLEASH_URL?: string | undefined;
  readonly UNLEASH_API_TOKEN?: string | undefined;
}

/**
 * A FLAG_* variable the service does not declare is another service's flag (`npm start`
 * gives both services one environment) or a mistake; the service cannot tell which, so it
 * does not read it, but it still refuses a value that no flag could take (`true`, `150%`,
 * `sometimes please`): such a typo fails at start-up in every service, as it always did.
 * Whether the value suits that flag (pick.v1 takes only on or off) is for the service that
 * declares it to say. A misspelt name cannot be caught here (docs/reliability.md, "Round two:
 * delivery").
 */
function otherFlagVariables(definitions: FlagDefinitions) {
  const declared = new Set<string>(Object.keys(definitions).map((flag) => envVariable(flag)));
  return z
    .looseObject({})
    .superRefine((env, ctx) => {
      for (const [name, value] of Object.entries(env)) {
        if (!name.startsWith('FLAG_') || declared.has(name) || typeof value !== 'string') continue;
        if (!parseRule(value)) ctx.addIssue({ code: 'custom', path: [name], message: RULE_SYNTAX });
      }
    })
    .transform(() => ({}));
}

/**
 * A service's config schema with its flags' variables added
 * (`withFlags(FLAGS, serviceSettings(7000).extend({…}))`): a bad value is one config error
 * line at start-up, like any other variable.
 */
export function withFlags<D extends FlagDefinitions, S extends z.ZodType<object>>(definitions: D, schema: S) {
  return z.intersection(z.intersection(schema, z.object(flagSettings(definitions))), otherFlagVariables(definitions));
}

/** createFlags() options from a service's validated config. */
export function flagOptions<D extends FlagDefinitions>(settings: FlagSettings, definitions: D, appName: string): Pick<FlagsOptions<keyof D & string>, 'overrides' | 'unleash'> {
  const chosen: Partial<Record<keyof D & string, Rule>> = {};
  const values = settings as Readonly<Record<string, unknown>>; // FLAG_PICK_V2 …, typed by withFlags()
  for (const flag of Object.keys(definitions) as (keyof D & string)[]) {
    const value = values[envVariable(flag)] as Rule | undefined;
    if (value) chosen[flag] = value;
  }
  const unleash = settings.UNLEASH_URL ? { url: settings.UNLEASH_URL, apiToken: settings.UNLEASH_API_TOKEN, appName } : undefined;
  return { overrides: chosen, unleash };
}
