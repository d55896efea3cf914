/**
 * Every feature flag a service of this repository reads. Each service declares the flags it
 * reads itself (services/<name>/src/flags.ts); this list only names them all, so that any
 * service can refuse a FLAG_* variable that no service reads (`FLAG_PICKV2=gita`, a typo that
 * would otherwise change nothing, silently) and say which one was meant. `npm start` gives
 * both services one environment, so each must know the other's names. Adding a flag adds its
 * name here too.
 */
export const FLAG_NAMES = ['pick.v1', 'pick.v2'] as const;

export type FlagName = (typeof FLAG_NAMES)[number];
