import { isCustomerName, isIngredientName } from '@toasties/contract';
import { parsePickRequest } from '../src/pick-request';
import { ingredientName } from '../src/requests';

/** chillybin checks names by the contract's rules, so a name jafflr accepts is one chillybin accepts. */
const accepts = (check: () => unknown) => {
  try {
    check();
    return true;
  } catch {
    return false;
  }
};

describe('the name rules are the contract\'s', () => {
  test.each(['ham', 'sun-dried-tomato', 'a'.repeat(32), 'a'.repeat(33), 'Ham', '-ham', 'h4m', ''])('an ingredient %j: v1 and v2 accept it exactly when @toasties/contract does', (name) => {
    expect(accepts(() => ingredientName({ name }))).toBe(isIngredientName(name));
    expect(accepts(() => parsePickRequest({ customer: 'gita', items: [{ ingredient: name, quantity: 1 }] }))).toBe(isIngredientName(name));
  });

  test.each(['gita', 'Gita.D_2@stall-1', 'g'.repeat(64), 'g'.repeat(65), '.gita', 'gita devi', ''])('a customer %j: v2 accepts it exactly when @toasties/contract does', (name) => {
    expect(accepts(() => parsePickRequest({ customer: name, items: [{ ingredient: 'ham', quantity: 1 }] }))).toBe(isCustomerName(name));
  });
});
