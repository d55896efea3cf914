/**
 * What a fresh chillybin holds, and what POST /restock without a body resets to.
 * "sheese" is soy cheese: the foxtrot story needs a second cheese.
 */
export const DEFAULT_STOCK: Readonly<Record<string, number>> = Object.freeze({
  cheese: 10,
  bread: 10,
  vegemite: 10,
  ham: 10,
  tomato: 10,
  pineapple: 10,
  sheese: 10,
});
