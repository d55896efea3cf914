/**
 * @toasties/contract — the one home of what the services, the scripts and the tests agree on.
 * Each part is a module of its own; nothing here does I/O or knows about HTTP frameworks.
 * What lives here and how to change it: docs/contract.md.
 */

// Part 1 and 2 of issue 13: names and their rules, the pick and order shapes, the stock's
// domain errors, and the catalogue of error codes.
export { INGREDIENT_NAME, INGREDIENT_NAME_SHAPE, CUSTOMER_NAME, CUSTOMER_NAME_SHAPE, isIngredientName, isCustomerName } from './names';
export { MAX_PICK_QUANTITY, MAX_PICK_ITEMS } from './pick';
export type { PickItem, PickRequest, Order, OrderAnswer } from './pick';
export { OutOfStock, UnknownIngredient } from './stock-errors';
export { ERROR_CODES, statusOf, isErrorCode, errorBody } from './error-codes';
export type { ErrorCode, ErrorBody, ErrorDetails } from './error-codes';
