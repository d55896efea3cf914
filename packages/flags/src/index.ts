/**
 * @toasties/flags — feature flags: environment overrides, Unleash. Generic: each service
 * declares its own flags (services/<name>/src/flags.ts), so a flag moves only its reader's tag.
 *
 *   export const FLAGS = defineFlags({ 'toaster.v3': { description, default: false, perCustomer: true } });
 *   const configSchema = withFlags(FLAGS, serviceSettings(7000).extend({ … }));
 *   const flags = createFlags(FLAGS, { ...flagOptions(config, FLAGS, 'jafflr'), logger });
 *   if (flags.isEnabled('toaster.v3', { customer: 'gita' })) …
 *   flags.close();                                   // on shutdown
 *
 * Precedence: the environment (FLAG_PICK_V2=on|off|gita,gwyn|25%) always wins; then an
 * Unleash server if UNLEASH_URL is set (context userId = customer); then the flag's
 * default. Without UNLEASH_URL no network is used.
 */
export { defineFlags, envVariable } from './definitions';
export type { FlagDefinition, FlagDefinitions, EnvName } from './definitions';
export { createFlags, defaults } from './flags';
export type { Flags, FlagsOptions, FlagContext } from './flags';
export { parseRule, ruleAllows, ruleText, bucketOf, RULE_SYNTAX, SWITCH_SYNTAX } from './rule';
export type { Rule } from './rule';
export { flagSettings, flagOptions, withFlags, withFlagsDefaults, closestVariable } from './settings';
export type { FlagSettings, WithFlagsOptions } from './settings';
export { flagsInEffect } from './summary';
export type { FlagInEffect, FlagSource } from './summary';
