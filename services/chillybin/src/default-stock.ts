/** "sheese" is soy cheese: the foxtrot story needs a second cheese. Fresh databases get migration 0001's frozen copy. */
export const DEFAULT_STOCK: Readonly<Record<string, number>> = Object.freeze({
  cheese: 10,
  bread: 10,
  vegemite: 10,
  ham: 10,
  tomato: 10,
  pineapple: 10,
  sheese: 10,
});
