/**
 * chillybin's own domain errors: what its modules throw when a request cannot be served,
 * without a word of HTTP. The stock's two (OutOfStock, UnknownIngredient) are jafflr's too and
 * live in @toasties/contract. What a client is told for each: answers.ts, and nowhere else.
 */

/** A v2 pick body that breaks the pick rules; the message names the first problem and where it is. */
export class InvalidPick extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPick';
  }
}

/** The Idempotency-Key's two refusals are jafflr's too (POST /toastie): they live in @toasties/contract. */
export { InvalidIdempotencyKey, KeyReused } from '@toasties/contract';

/**
 * An order names an ingredient the chillybin does not hold, found by PostgreSQL's foreign key
 * on its items. That error aborts the transaction, so which ingredient (the first in the order
 * given, as answers name it) is looked up after it ends (routes/v2.ts): not on the aborted
 * transaction, and not on a second connection the transaction would wait for while it holds one.
 */
export class UnknownIngredientInOrder extends Error {
  constructor() {
    super('an item names an ingredient the chillybin does not hold');
    this.name = 'UnknownIngredientInOrder';
  }
}
