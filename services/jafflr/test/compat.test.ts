import { NUMERIC_ORDER_IDS_REMOVE_AFTER } from '@toasties/contract';

/** Compatibility code has a removal date; this fails once it has passed, so the code goes. */
test.each([['the numeric order id a chillybin before its migration 0003 answers (src/chillybin-client.ts, pickOrder)', NUMERIC_ORDER_IDS_REMOVE_AFTER]])('%s: removed by %s', (_what, removeAfter) => {
  expect(new Date().getTime()).toBeLessThan(removeAfter.getTime());
});
