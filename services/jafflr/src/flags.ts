import { defineFlags, type Flags } from '@toasties/flags';

/** Here, not in @toasties/flags, so adding or changing one moves jafflr's tag alone. */
export const FLAGS = defineFlags({
  'pick.v2': {
    description: 'jafflr picks a whole toastie with one atomic POST /v2/pick (an order) instead of one v1 /pick per ingredient. Read per customer.',
    default: false,
    perCustomer: true,
  },
});

export type JafflrFlags = Flags<keyof typeof FLAGS>;
