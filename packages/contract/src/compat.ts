/**
 * Compatibility code the services carry for a while, each with the date it goes. A test in
 * each service fails once a date has passed, so the code is removed rather than forgotten.
 */

/**
 * Order ids as numbers: a 201 from POST /v2/pick recorded under an Idempotency-Key before
 * chillybin's migration 0003 (released 2026-11-30) names its order by row id. chillybin turns
 * such a replay's id into the public one (its compat/numeric-order-ids.ts); jafflr's client
 * takes a number as well. No key outlives IDEMPOTENCY_KEY_TTL_SECONDS' largest value (30
 * days), so after this date no such answer can be replayed, and both paths go.
 */
export const NUMERIC_ORDER_IDS_REMOVE_AFTER = new Date('2027-01-01T00:00:00Z');
