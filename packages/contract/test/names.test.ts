import { isCustomerName, isIngredientName } from '../src';

describe('the name rules', () => {
  test.each([
    ['cheese', true],
    ['sun-dried-tomato', true],
    ['a'.repeat(32), true],
    ['a'.repeat(33), false],
    ['Cheese', false],
    ['-cheese', false],
    ['ch33se', false],
    ["cheese'; DROP TABLE ingredients;--", false],
    ['', false],
    [['cheese'], false],
  ])('an ingredient named %j is accepted: %s', (name, accepted) => {
    expect(isIngredientName(name)).toBe(accepted);
  });

  test.each([
    ['gita', true],
    ['Gita.Devi_2@stall-1', true],
    ['7', true],
    ['g'.repeat(64), true],
    ['g'.repeat(65), false],
    ['.gita', false],
    ['gita devi', false],
    ['', false],
    [42, false],
  ])('a customer named %j is accepted: %s', (name, accepted) => {
    expect(isCustomerName(name)).toBe(accepted);
  });
});
