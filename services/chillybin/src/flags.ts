import { defineFlags, type Flags } from '@toasties/flags';

/** Here, not in @toasties/flags, so adding or changing one moves chillybin's tag alone. */
export const FLAGS = defineFlags({
  'pick.v1': {
    description: 'chillybin keeps the deprecated v1 /pick alive; off answers 410 Gone (step 3 of the foxtrot).',
    default: true,
    // A v1 pick names no customer: a list or a percentage would match no one, so it is on or off.
    perCustomer: false,
  },
});

export type ChillybinFlags = Flags<keyof typeof FLAGS>;
