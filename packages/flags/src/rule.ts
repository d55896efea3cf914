// Unleash's own normalisation, so FLAG_X=25% picks exactly the customers an Unleash flexibleRollout
// of 25% (stickiness userId, groupId = the flag) would pick.
import { normalizedStrategyValue } from 'unleash-client/lib/strategy/util';
import { isCustomerName } from '@toasties/contract';

export type Rule =
  | { readonly kind: 'on' }
  | { readonly kind: 'off' }
  | { readonly kind: 'customers'; readonly customers: ReadonlySet<string> }
  | { readonly kind: 'percentage'; readonly percent: number };

// As customer names these would quietly match no one (in any case, and inside a list too): refused.
const MISTAKEN_FOR_A_SWITCH = new Set([
  'on', 'off', 'true', 'false', 't', 'f', 'yes', 'no', 'y', 'n',
  'enabled', 'disabled', 'enable', 'disable', 'all', 'none', 'everyone', 'nobody',
]);

function ambiguous(name: string): boolean {
  return /^\d+$/.test(name) || MISTAKEN_FOR_A_SWITCH.has(name.toLowerCase());
}

export const RULE_SYNTAX = 'must be on, off, a comma-separated list of customers (gita,gwyn) or a whole percentage of customers (25%)';

export const SWITCH_SYNTAX = 'must be on or off (this flag is not read per customer, so a list or a percentage would turn it off for everyone)';

/** In any case (ON, Off): what the operator meant is not in doubt. */
function onOrOff(value: string): Rule | undefined {
  const lower = value.toLowerCase();
  return lower === 'on' || lower === 'off' ? { kind: lower } : undefined;
}

export function parseRule(text: string, { perCustomer = true }: { readonly perCustomer?: boolean } = {}): Rule | undefined {
  const value = text.trim();
  const switched = onOrOff(value);
  if (switched || !perCustomer) return switched;
  const percentage = /^(\d{1,3})%$/.exec(value);
  if (percentage) {
    const percent = Number(percentage[1]);
    return percent <= 100 ? { kind: 'percentage', percent } : undefined;
  }
  const customers = value.split(',').map((name) => name.trim());
  if (!customers.every((name) => isCustomerName(name) && !ambiguous(name))) return undefined;
  // Case-blind (FLAG_PICK_V2=Gita is gita): a person typing a list means the customer, not a spelling.
  // Percentages hash the name as given, as Unleash does.
  return { kind: 'customers', customers: new Set(customers.map((name) => name.toLowerCase())) };
}

/** Stable across processes and restarts. */
export function bucketOf(flag: string, customer: string): number {
  return normalizedStrategyValue(customer, flag);
}

/** Without a customer only "on" lets through, as Unleash does without a userId. */
export function ruleAllows(rule: Rule, flag: string, customer: string | undefined): boolean {
  switch (rule.kind) {
    case 'on':
      return true;
    case 'off':
      return false;
    case 'customers':
      return customer !== undefined && rule.customers.has(customer.toLowerCase());
    case 'percentage':
      return customer !== undefined && rule.percent > 0 && bucketOf(flag, customer) <= rule.percent;
  }
}

export function ruleText(rule: Rule): string {
  switch (rule.kind) {
    case 'on':
    case 'off':
      return rule.kind;
    case 'customers':
      return [...rule.customers].join(',');
    case 'percentage':
      return `${rule.percent}%`;
  }
}
