import { NUMERIC_ORDER_IDS_REMOVE_AFTER } from '../src/compat/numeric-order-ids';

/**
 * Compatibility code has a removal date; this fails once it has passed, so the code goes
 * (src/compat/, OrdersTable.publicIdOf, and jafflr's numeric-id branch with its own test).
 */
test.each([['numeric order ids in replayed answers (src/compat/numeric-order-ids.ts)', NUMERIC_ORDER_IDS_REMOVE_AFTER]])('%s: removed by %s', (_what, removeAfter) => {
  expect(new Date().getTime()).toBeLessThan(removeAfter.getTime());
});
