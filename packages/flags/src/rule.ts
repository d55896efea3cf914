// Unleash's own normalisation (murmurhash3 of "groupId:userId", 1–100). Imported from
// the client rather than re-implemented, so FLAG_X=25% picks exactly the customers an
// Unleash flexibleRollout of 25% (stickiness userId, groupId = the flag) would pick.
import { normalizedStrategyValue } from 'unleash-client/lib/strategy/util';

/** A flag's value from the environment: everyone, no one, some customers, or a share of them. */
export type Rule =
  | { readonly kind: 'on' }
  | { readonly kind: 'off' }
  | { readonly kind: 'customers'; readonly customers: ReadonlySet<string> }
  | { readonly kind: 'percentage'; readonly percent: number };

/** A customer in a list: what jafflr accepts as a customer name. */
const CUSTOMER = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/**
 * What someone meaning on, off or a percentage may type instead (`true`, `50` without its
 * %): as customer names they would quietly match no one, so they are refused.
 */
function ambiguous(name: string): boolean {
  return /^\d+$/.test(name) || ['true', 'false', 'yes', 'no', 'enabled', 'disabled'].includes(name.toLowerCase());
}

export const RULE_SYNTAX = 'must be on, off, a comma-separated list of customers (gita,gwyn) or a whole percentage of customers (25%)';

/** Read `on`, `off`, `gita,gwyn` or `25%`; undefined if the text is none of these. */
export function parseRule(text: string): Rule | undefined {
  const value = text.trim();
  if (value === 'on' || value === 'off') return { kind: value };
  const percentage = /^(\d{1,3})%$/.exec(value);
  if (percentage) {
    const percent = Number(percentage[1]);
    return percent <= 100 ? { kind: 'percentage', percent } : undefined;
  }
  const customers = value.split(',').map((name) => name.trim());
  if (!customers.every((name) => CUSTOMER.test(name) && !ambiguous(name))) return undefined;
  return { kind: 'customers', customers: new Set(customers) };
}

/** Where a customer falls, 1–100, for this flag: stable across processes and restarts. */
export function bucketOf(flag: string, customer: string): number {
  return normalizedStrategyValue(customer, flag);
}

/**
 * Whether the rule lets `customer` through. Without a customer, only "on" does: a list
 * or a percentage cannot place someone unnamed (Unleash does the same without a userId).
 */
export function ruleAllows(rule: Rule, flag: string, customer: string | undefined): boolean {
  switch (rule.kind) {
    case 'on':
      return true;
    case 'off':
      return false;
    case 'customers':
      return customer !== undefined && rule.customers.has(customer);
    case 'percentage':
      return customer !== undefined && rule.percent > 0 && bucketOf(flag, customer) <= rule.percent;
  }
}
