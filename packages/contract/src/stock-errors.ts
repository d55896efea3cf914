export class OutOfStock extends Error {
  /** `wanted` and `left` are known to chillybin, not always to jafflr. */
  constructor(
    readonly ingredient: string,
    readonly wanted?: number,
    readonly left?: number,
  ) {
    super(wanted === undefined || left === undefined ? `not enough ${ingredient}` : `not enough ${ingredient}: ${wanted} wanted, ${left} left`);
    this.name = 'OutOfStock';
  }
}

export class UnknownIngredient extends Error {
  constructor(readonly ingredient: string) {
    super(`the chillybin has no ${ingredient}`);
    this.name = 'UnknownIngredient';
  }
}
