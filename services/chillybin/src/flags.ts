import { defineFlags, type Flags } from '@toasties/flags';

/**
 * chillybin's feature flags. They live here, not in @toasties/flags, so that adding or
 * changing one moves chillybin's tag alone. Each is overridden by FLAG_<NAME> (pick.v1 → FLAG_PICK_V1).
 */
export const FLAGS = defineFlags({
  'pick.v1': {
    description: 'chillybin keeps the deprecated v1 /pick alive; off answers 410 Gone (step 3 of the foxtrot).',
    default: true,
    // A v1 pick names no customer: a list or a percentage would match no one, so it is on or off.
    perCustomer: false,
  },
});

export type ChillybinFlags = Flags<keyof typeof FLAGS>;
