import { z } from 'zod';
import { FLAGS, FLAG_NAMES, type FlagName } from './definitions';
import { parseRule, RULE_SYNTAX, SWITCH_SYNTAX, type Rule } from './rule';
import type { FlagsOptions } from './flags';

/** pick.v2 → FLAG_PICK_V2, at the type level too, so a service's config knows its variables. */
type EnvName<F extends string> = F extends `${infer A}.${infer B}` ? `FLAG_${Uppercase<A>}_${Uppercase<B>}` : `FLAG_${Uppercase<F>}`;

/** A flag's variable: the forms it accepts depend on whether the flag is read per customer. */
function ruleOf(flag: FlagName) {
  const { perCustomer } = FLAGS[flag];
  return z.string().transform((text, ctx): Rule => {
    const parsed = parseRule(text, { perCustomer });
    if (!parsed) {
      ctx.addIssue({ code: 'custom', message: perCustomer ? RULE_SYNTAX : SWITCH_SYNTAX });
      return z.NEVER;
    }
    return parsed;
  });
}

type RuleSetting = z.ZodOptional<ReturnType<typeof ruleOf>>;

const overrides = Object.fromEntries(FLAG_NAMES.map((flag) => [envVariable(flag), ruleOf(flag).optional()])) as {
  [F in FlagName as EnvName<F>]: RuleSetting;
};

/** The environment variable that overrides a flag: pick.v2 → FLAG_PICK_V2. */
export function envVariable<F extends FlagName>(flag: F): EnvName<F> {
  return `FLAG_${flag.toUpperCase().replace(/[^A-Z0-9]/g, '_')}` as EnvName<F>;
}

/**
 * The flag variables, for a service to add to its config schema
 * (`serviceSettings(7000).extend(flagSettings)`): a bad value is one config error line
 * at start-up, like any other variable.
 */
export const flagSettings = {
  ...overrides,
  /** Where the Unleash server's client API lives, e.g. http://unleash:4242/api. */
  UNLEASH_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** A client token, sent as the Authorization header. */
  UNLEASH_API_TOKEN: z.string().min(1).optional(),
};

export type FlagSettings = z.output<z.ZodObject<typeof flagSettings>>;

/** createFlags() options from a service's validated config. */
export function flagOptions(settings: FlagSettings, appName: string): Pick<FlagsOptions, 'overrides' | 'unleash'> {
  const chosen: Partial<Record<FlagName, Rule>> = {};
  for (const flag of FLAG_NAMES) {
    const value = settings[envVariable(flag)];
    if (value) chosen[flag] = value;
  }
  const unleash = settings.UNLEASH_URL ? { url: settings.UNLEASH_URL, apiToken: settings.UNLEASH_API_TOKEN, appName } : undefined;
  return { overrides: chosen, unleash };
}
