import { isCustomerName } from '@toasties/contract';
import { parseRule } from '../src/index';

describe('customers in a flag\'s list follow the contract\'s rule', () => {
  test.each(['gita', 'Gita.D_2@stall-1', 'g'.repeat(64), 'g'.repeat(65), '.gita', 'gita devi'])('%j is a list exactly when @toasties/contract accepts it as a customer', (name) => {
    expect(parseRule(name)?.kind === 'customers').toBe(isCustomerName(name));
  });
});
