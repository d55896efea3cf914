/**
 * @toasties/contract — the HTTP API between the services: what jafflr and chillybin (and the
 * tests and scripts that call them) agree on. The process model's messages live in
 * @toasties/graceful, the logger's shape in @toasties/observability, a service's deploy
 * block beside the scripts that read it (scripts/lib/deployment.d.ts), so a change to one
 * of those moves only the services that use it. Nothing here does I/O or knows about HTTP
 * frameworks.
 * What lives here and how to change it: docs/contract.md.
 */

// The /health shape, and the log lines scripts and tests wait for.
export type { WorkerVersion, ClusterHealth, Liveness, CheckResult, ReadyBody } from './health';
export { LOG_MESSAGES, replacementStarted, replacementComplete, replacementStopped } from './log-events';

// Names and their rules, the pick and order shapes, the stock's domain errors, and the
// catalogue of error codes. The answers' schemas, for a caller decoding them, are
// `@toasties/contract/answers` (zod schemas: only a caller loads them).
export { INGREDIENT_NAME, INGREDIENT_NAME_SHAPE, CUSTOMER_NAME, CUSTOMER_NAME_SHAPE, isIngredientName, isCustomerName } from './names';
export { MAX_PICK_QUANTITY, MAX_PICK_ITEMS, REQUEST_FINGERPRINT, REQUEST_FINGERPRINT_SHAPE } from './pick';
export type { PickItem, PickRequest, Order, OrderAnswer } from './pick';
export { OutOfStock, UnknownIngredient } from './stock-errors';
export { parseIdempotencyKey, InvalidIdempotencyKey, KeyReused, MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency-key';
export { FLAG_NAMES } from './flag-names';
export type { FlagName } from './flag-names';
export { ERROR_CODES, statusOf, isErrorCode, errorBody } from './error-codes';
export type { ErrorCode, ErrorBody, ErrorDetails } from './error-codes';

// The deadline of a jafflr → chillybin call, which both services' defaults come from.
export { CHILLYBIN_CALL_BUDGET_MS } from './deadline';

// Compatibility paths and the dates they are removed.
export { NUMERIC_ORDER_IDS_REMOVE_AFTER } from './compat';
