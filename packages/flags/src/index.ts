/**
 * @toasties/flags — feature flags: one typed list, environment overrides, Unleash.
 *
 *   const flags = createFlags({ ...flagOptions(config, 'jafflr'), logger });
 *   if (flags.isEnabled('pick.v2', { customer: 'gita' })) …
 *   flags.close();                                   // on shutdown
 *
 * Precedence: the environment (FLAG_PICK_V2=on|off|gita,gwyn|25%) always wins; then an
 * Unleash server if UNLEASH_URL is set (context userId = customer); then the default
 * in FLAGS. Without UNLEASH_URL no network is used.
 */
export { FLAGS, FLAG_NAMES } from './definitions';
export type { FlagName } from './definitions';
export { createFlags, defaults } from './flags';
export type { Flags, FlagsOptions, FlagContext } from './flags';
export { parseRule, ruleAllows, bucketOf, RULE_SYNTAX, SWITCH_SYNTAX } from './rule';
export type { Rule } from './rule';
export { flagSettings, flagOptions, envVariable } from './settings';
export type { FlagSettings } from './settings';
