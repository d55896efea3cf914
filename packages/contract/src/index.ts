export type { WorkerVersion, ClusterHealth, Liveness, CheckResult, ReadyBody } from './health';
export { LOG_MESSAGES, replacementStarted, replacementComplete, replacementStopped } from './log-events';

// The answers' zod schemas are `@toasties/contract/answers`: only a caller decoding them loads zod.
export { INGREDIENT_NAME, INGREDIENT_NAME_SHAPE, CUSTOMER_NAME, CUSTOMER_NAME_SHAPE, isIngredientName, isCustomerName } from './names';
export { MAX_PICK_QUANTITY, MAX_PICK_ITEMS, REQUEST_FINGERPRINT, REQUEST_FINGERPRINT_SHAPE } from './pick';
export type { PickItem, PickRequest, Order, OrderAnswer } from './pick';
export { OutOfStock, UnknownIngredient } from './stock-errors';
export { parseIdempotencyKey, InvalidIdempotencyKey, KeyReused, MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency-key';
export { FLAG_NAMES } from './flag-names';
export type { FlagName } from './flag-names';
export { ERROR_CODES, statusOf, isErrorCode, errorBody } from './error-codes';
export type { ErrorCode, ErrorBody, ErrorDetails } from './error-codes';

export { CHILLYBIN_CALL_BUDGET_MS } from './deadline';

export { NUMERIC_ORDER_IDS_REMOVE_AFTER } from './compat';
