/** jafflr gives up on a chillybin call (every retry included) after this by default, so chillybin's
 * waits default from it and must add up to less (its write-deadline.ts). */
export const CHILLYBIN_CALL_BUDGET_MS = 2000;
