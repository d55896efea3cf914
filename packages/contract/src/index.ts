/**
 * @toasties/contract — the one home of what the services, the scripts and the tests agree on.
 * Each part is a module of its own; nothing here does I/O or knows about HTTP frameworks.
 * What lives here and how to change it: docs/contract.md.
 */

// Issue 13, part 1 (process model): the cluster IPC messages; part 6: the logger shape shared code writes to.
export * from './cluster-messages';
export type { LogLevel, LogWriter } from './log-writer';

// Parts 1 and 5 (delivery): the /health shape, the log lines scripts and tests wait for, a service's deploy block.
export type { WorkerVersion, ClusterHealth, Liveness, CheckResult, ReadyBody } from './health';
export { LOG_MESSAGES, replacementStarted, replacementComplete, replacementStopped } from './log-events';
export type { ServiceDeployment } from './deployment';

// Part 1 and 2 of issue 13: names and their rules, the pick and order shapes, the stock's
// domain errors, and the catalogue of error codes.
export { INGREDIENT_NAME, INGREDIENT_NAME_SHAPE, CUSTOMER_NAME, CUSTOMER_NAME_SHAPE, isIngredientName, isCustomerName } from './names';
export { MAX_PICK_QUANTITY, MAX_PICK_ITEMS } from './pick';
export type { PickItem, PickRequest, Order, OrderAnswer } from './pick';
export { OutOfStock, UnknownIngredient } from './stock-errors';
export { ERROR_CODES, statusOf, isErrorCode, errorBody } from './error-codes';
export type { ErrorCode, ErrorBody, ErrorDetails } from './error-codes';

// The deadline of a jafflr → chillybin call, which both services' defaults come from.
export { CHILLYBIN_CALL_BUDGET_MS } from './deadline';

// Compatibility paths and the dates they are removed.
export { NUMERIC_ORDER_IDS_REMOVE_AFTER } from './compat';
