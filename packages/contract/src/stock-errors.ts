/**
 * The two ways a pick can fail because of the stock, as domain errors: chillybin's stock
 * throws them, jafflr's client turns chillybin's answers back into them. Neither knows about
 * HTTP; each service's edge (its answers.ts) says what a client is told.
 */

/** Not enough of one ingredient; whatever the pick was, nothing of it was taken. */
export class OutOfStock extends Error {
  /**
   * @param wanted how much the pick asked for, and
   * @param left how much there was: known to chillybin, not always to jafflr.
   */
  constructor(
    readonly ingredient: string,
    readonly wanted?: number,
    readonly left?: number,
  ) {
    super(wanted === undefined || left === undefined ? `not enough ${ingredient}` : `not enough ${ingredient}: ${wanted} wanted, ${left} left`);
    this.name = 'OutOfStock';
  }
}

/** An ingredient the chillybin does not hold at all (not even none of it). */
export class UnknownIngredient extends Error {
  constructor(readonly ingredient: string) {
    super(`the chillybin has no ${ingredient}`);
    this.name = 'UnknownIngredient';
  }
}
