export interface FlagDefinition {
  readonly description: string;
  readonly default: boolean;
  /** Only a flag read with a customer takes a list or a percentage: without one they would match no one. */
  readonly perCustomer: boolean;
}

export type FlagDefinitions = Readonly<Record<string, FlagDefinition>>;

/** Lower-case words joined by dots, so that its variable is unambiguous. */
const FLAG_NAME = /^[a-z][a-z0-9]*(\.[a-z0-9]+)*$/;

/** Typed, so `isEnabled('pick.v3')` is a compile error, not a silent "off". */
export function defineFlags<const D extends FlagDefinitions>(definitions: D): D {
  for (const flag of Object.keys(definitions)) {
    if (!FLAG_NAME.test(flag)) throw new Error(`flag name ${JSON.stringify(flag)}: must be lower-case words joined by dots, e.g. pick.v2`);
  }
  return definitions;
}

/** pick.v2 → FLAG_PICK_V2 at the type level too, so a service's config knows its variables. */
export type EnvName<F extends string> = F extends `${infer A}.${infer B}` ? `FLAG_${Uppercase<A>}_${EnvTail<B>}` : `FLAG_${Uppercase<F>}`;
type EnvTail<F extends string> = F extends `${infer A}.${infer B}` ? `${Uppercase<A>}_${EnvTail<B>}` : Uppercase<F>;

export function envVariable<F extends string>(flag: F): EnvName<F> {
  return `FLAG_${flag.toUpperCase().replace(/[^A-Z0-9]/g, '_')}` as EnvName<F>;
}
