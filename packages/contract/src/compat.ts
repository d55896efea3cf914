/** A 201 replayed under an Idempotency-Key recorded before chillybin's migration 0003 names its order
 * by row id; no key outlives the longest IDEMPOTENCY_KEY_TTL_SECONDS (30 days). A test fails after this date. */
export const NUMERIC_ORDER_IDS_REMOVE_AFTER = new Date('2027-01-01T00:00:00Z');
