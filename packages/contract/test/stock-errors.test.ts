import { OutOfStock, UnknownIngredient } from '../src';

describe('the stock errors', () => {
  test('OutOfStock says how much was wanted and left when that is known, and only the ingredient when not', () => {
    expect(new OutOfStock('ham', 3, 1).message).toBe('not enough ham: 3 wanted, 1 left');
    expect(new OutOfStock('ham').message).toBe('not enough ham');
    expect(new OutOfStock('ham')).toMatchObject({ name: 'OutOfStock', ingredient: 'ham' });
  });

  test('UnknownIngredient names the ingredient', () => {
    expect(new UnknownIngredient('caviar')).toMatchObject({ name: 'UnknownIngredient', ingredient: 'caviar', message: 'the chillybin has no caviar' });
  });
});
