import { isCustomerName, isIngredientName } from '@toasties/contract';
import { answerTo } from '../src/answers';
import { InvalidToastie, parseToastieOrder } from '../src/toastie-order';

describe('parseToastieOrder', () => {
  test.each([
    ['one cheese, defaults for the rest', { i: 'cheese' }, { ingredients: ['cheese'], doneness: 'medium', customer: 'anonymous' }],
    ['a list, a doneness and a customer', { i: ['cheese', 'vegemite'], doneness: 'light', customer: 'gita' }, { ingredients: ['cheese', 'vegemite'], doneness: 'light', customer: 'gita' }],
    ['"ingredients" in place of "i"', { ingredients: ['ham', 'cheese'] }, { ingredients: ['ham', 'cheese'], doneness: 'medium', customer: 'anonymous' }],
    ['soy cheese counts as cheese', { i: ['sheese', 'tomato'] }, { ingredients: ['sheese', 'tomato'], doneness: 'medium', customer: 'anonymous' }],
    ['double cheese', { i: ['cheese', 'cheese'] }, { ingredients: ['cheese', 'cheese'], doneness: 'medium', customer: 'anonymous' }],
  ])('accepts %s', (_case, fields, order) => {
    expect(parseToastieOrder(fields)).toEqual(order);
  });

  test.each([
    ['no ingredients', {}, 'no_ingredients'],
    ['an empty list', { i: [] }, 'no_ingredients'],
    ['no cheese', { i: ['ham', 'tomato'] }, 'no_cheese'],
    ['an unknown doneness', { i: 'cheese', doneness: 'raw' }, 'invalid_doneness'],
    ['doneness given twice', { i: 'cheese', doneness: ['light', 'burnt'] }, 'invalid_doneness'],
    ['eleven ingredients', { i: Array(11).fill('cheese') }, 'too_many_ingredients'],
    ['an upper-case ingredient', { i: ['CHEESE'] }, 'invalid_ingredient'],
    ['a smuggled parameter', { i: ['cheese', 'vegemite&quantity=-1000'] }, 'invalid_ingredient'],
    ['an SQL-looking ingredient', { i: ["cheese'; DROP TABLE ingredients;--"] }, 'invalid_ingredient'],
    ['a number as an ingredient', { i: [1] }, 'invalid_ingredient'],
    ['an object as an ingredient', { i: [{ name: 'cheese' }] }, 'invalid_ingredient'],
    ['an overlong ingredient', { i: ['cheese', 'a'.repeat(33)] }, 'invalid_ingredient'],
    ['both "i" and "ingredients"', { i: 'cheese', ingredients: ['cheese'] }, 'invalid_ingredients'],
    ['a customer with spaces', { i: 'cheese', customer: 'gita smith' }, 'invalid_customer'],
    ['an overlong customer', { i: 'cheese', customer: 'g'.repeat(65) }, 'invalid_customer'],
    ['a customer that is not a string', { i: 'cheese', customer: 42 }, 'invalid_customer'],
  ])('refuses %s: InvalidToastie, answered 400 %s', (_case, fields, code) => {
    let refusal: unknown;
    try {
      parseToastieOrder(fields);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(InvalidToastie);
    expect(answerTo(refusal)).toMatchObject({ status: 400, code });
  });
});

describe('the name rules are the contract\'s', () => {
  const accepts = (fields: Record<string, unknown>) => {
    try {
      parseToastieOrder(fields);
      return true;
    } catch {
      return false;
    }
  };
  test.each(['ham', 'sun-dried-tomato', 'a'.repeat(32), 'a'.repeat(33), 'Ham', '-ham', 'h4m', ''])('an ingredient %j is accepted exactly when @toasties/contract accepts it', (name) => {
    expect(accepts({ i: ['cheese', name] })).toBe(isIngredientName(name));
  });
  test.each(['gita', 'Gita.D_2@stall-1', 'g'.repeat(64), 'g'.repeat(65), '.gita', 'gita devi', ''])('a customer %j is accepted exactly when @toasties/contract accepts it', (name) => {
    expect(accepts({ i: 'cheese', customer: name })).toBe(isCustomerName(name));
  });
});
