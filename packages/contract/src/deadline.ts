/**
 * The budget of one jafflr → chillybin call: jafflr gives up on a call (every retry included)
 * after this long by default (its CHILLYBIN_TIMEOUT_MS), so chillybin must have answered by
 * then, success or a retryable 503, whatever it waited for. chillybin defaults its waits from
 * it and refuses to start with waits that could add up to more (its write-deadline.ts).
 */
export const CHILLYBIN_CALL_BUDGET_MS = 2000;
