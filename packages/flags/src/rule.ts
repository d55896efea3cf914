// Unleash's own normalisation (murmurhash3 of "groupId:userId", 1–100). Imported from
// the client rather than re-implemented, so FLAG_X=25% picks exactly the customers an
// Unleash flexibleRollout of 25% (stickiness userId, groupId = the flag) would pick.
import { normalizedStrategyValue } from 'unleash-client/lib/strategy/util';
import { isCustomerName } from '@toasties/contract';

/** A flag's value from the environment: everyone, no one, some customers, or a share of them. */
export type Rule =
  | { readonly kind: 'on' }
  | { readonly kind: 'off' }
  | { readonly kind: 'customers'; readonly customers: ReadonlySet<string> }
  | { readonly kind: 'percentage'; readonly percent: number };

/**
 * What someone meaning on, off, everyone or a percentage may type instead (`true`, `YES`,
 * `all`, `50` without its %), in any case: as customer names they would quietly match no
 * one, so they are refused. `on` and `off` inside a list are refused for the same reason.
 */
const MISTAKEN_FOR_A_SWITCH = new Set([
  'on', 'off', 'true', 'false', 't', 'f', 'yes', 'no', 'y', 'n',
  'enabled', 'disabled', 'enable', 'disable', 'all', 'none', 'everyone', 'nobody',
]);

function ambiguous(name: string): boolean {
  return /^\d+$/.test(name) || MISTAKEN_FOR_A_SWITCH.has(name.toLowerCase());
}

export const RULE_SYNTAX = 'must be on, off, a comma-separated list of customers (gita,gwyn) or a whole percentage of customers (25%)';

/** For a flag read without a customer, where a list or a percentage would match no one. */
export const SWITCH_SYNTAX = 'must be on or off (this flag is not read per customer, so a list or a percentage would turn it off for everyone)';

/** `on` or `off` in any case (ON, Off): what the operator meant is not in doubt. */
function onOrOff(value: string): Rule | undefined {
  const lower = value.toLowerCase();
  return lower === 'on' || lower === 'off' ? { kind: lower } : undefined;
}

/**
 * Read a flag's variable; undefined if the text is none of the accepted forms. A flag read
 * per customer takes `on`, `off`, `gita,gwyn` or `25%`; any other flag only `on` or `off`.
 */
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
  // A customer in a list is a name jafflr would accept (the contract's rule), and not a switch in disguise.
  if (!customers.every((name) => isCustomerName(name) && !ambiguous(name))) return undefined;
  // Matched without regard to case (FLAG_PICK_V2=Gita is gita too): a person typing a list
  // means the customer, not a spelling of them. Percentages hash the name as given, as Unleash does.
  return { kind: 'customers', customers: new Set(customers.map((name) => name.toLowerCase())) };
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
      return customer !== undefined && rule.customers.has(customer.toLowerCase());
    case 'percentage':
      return customer !== undefined && rule.percent > 0 && bucketOf(flag, customer) <= rule.percent;
  }
}

/** A rule as its variable would say it: on, off, gita,gwyn or 25%. */
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
