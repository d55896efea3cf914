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

/** An Idempotency-Key header that is neither a quoted nor a bare key. */
export class InvalidIdempotencyKey extends Error {
  constructor(readonly maxLength: number) {
    super(`Idempotency-Key must be 1-${maxLength} visible ASCII characters, quoted ("...") or bare`);
    this.name = 'InvalidIdempotencyKey';
  }
}

/** The customer used this key before for another request; nothing was done. */
export class KeyReused extends Error {
  constructor() {
    super('this Idempotency-Key was already used with a different request; use a new key');
    this.name = 'KeyReused';
  }
}

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
