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
 * The database was asked to commit a write and no answer came back, and asking it afterwards
 * could not tell either: the write may have happened. Never answered as "nothing changed".
 */
export class OutcomeUnknown extends Error {
  constructor(options?: ErrorOptions) {
    super('the database did not confirm the write, and could not be asked whether it happened', options);
    this.name = 'OutcomeUnknown';
  }
}
