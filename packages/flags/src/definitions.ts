/**
 * Every feature flag, in one typed list: a flag that is not here does not exist, so a
 * typo in `isEnabled('pick.v3')` is a compile error, not a silent "off". `perCustomer`
 * says whether the flag is read with a customer: only then can its variable hold a list
 * of customers or a percentage.
 */
export const FLAGS = {
  'pick.v2': {
    description: 'jafflr picks a whole toastie with one atomic POST /v2/pick (an order) instead of one v1 /pick per ingredient. Read per customer.',
    default: false,
    perCustomer: true,
  },
  'pick.v1': {
    description: "chillybin keeps the deprecated v1 /pick alive; off answers 410 Gone (step 3 of the foxtrot).",
    default: true,
    // A v1 pick names no customer: a list or a percentage would match no one, so it is on or off.
    perCustomer: false,
  },
} as const satisfies Record<string, { readonly description: string; readonly default: boolean; readonly perCustomer: boolean }>;

export type FlagName = keyof typeof FLAGS;


export const FLAG_NAMES = Object.keys(FLAGS) as readonly FlagName[];
