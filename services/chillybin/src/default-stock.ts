/**
 * What POST /restock without a body resets to. "sheese" is soy cheese: the foxtrot story
 * needs a second cheese. A fresh database holds what its migrations seed: 0001 keeps its own
 * frozen copy of the first list, on purpose (docs/contract.md); a new ingredient for fresh
 * databases is a new migration, and a line here.
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
