/**
 * What a flag is, as the service that reads it declares it (services/<name>/src/flags.ts).
 * This package knows no flag of its own: a flag lives with its one reader, so adding or
 * changing it moves that service's tag alone (./last_commit.sh follows workspace dependencies).
 */
export interface FlagDefinition {
  readonly description: string;
  /** The value without an override or Unleash. */
  readonly default: boolean;
  /**
   * Whether the flag is read with a customer: only then can its variable hold a list of
   * customers or a percentage. A flag read without one takes `on` or `off` only (a list or
   * a percentage would match no one: off for everyone).
   */
  readonly perCustomer: boolean;
}

export type FlagDefinitions = Readonly<Record<string, FlagDefinition>>;

/** A flag name: lower-case words joined by dots (pick.v2), so that its variable is unambiguous. */
const FLAG_NAME = /^[a-z][a-z0-9]*(\.[a-z0-9]+)*$/;

/**
 * A service's flags, in one typed list: a flag that is not there does not exist for it, so
 * `isEnabled('pick.v3')` is a compile error, not a silent "off".
 *
 *   export const FLAGS = defineFlags({ 'toaster.v3': { description: '…', default: false, perCustomer: true } });
 */
export function defineFlags<const D extends FlagDefinitions>(definitions: D): D {
  for (const flag of Object.keys(definitions)) {
    if (!FLAG_NAME.test(flag)) throw new Error(`flag name ${JSON.stringify(flag)}: must be lower-case words joined by dots, e.g. pick.v2`);
  }
  return definitions;
}

/** pick.v2 → FLAG_PICK_V2, at the type level too, so a service's config knows its variables. */
export type EnvName<F extends string> = F extends `${infer A}.${infer B}` ? `FLAG_${Uppercase<A>}_${EnvTail<B>}` : `FLAG_${Uppercase<F>}`;
type EnvTail<F extends string> = F extends `${infer A}.${infer B}` ? `${Uppercase<A>}_${EnvTail<B>}` : Uppercase<F>;

/** The environment variable that overrides a flag: pick.v2 → FLAG_PICK_V2. */
export function envVariable<F extends string>(flag: F): EnvName<F> {
  return `FLAG_${flag.toUpperCase().replace(/[^A-Z0-9]/g, '_')}` as EnvName<F>;
}
