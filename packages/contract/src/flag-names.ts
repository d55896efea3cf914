// Every service's flag names, so each can refuse a FLAG_* no service reads (a typo) and say which was
// meant; `npm start` gives both services one environment.
export const FLAG_NAMES = ['pick.v1', 'pick.v2'] as const;

export type FlagName = (typeof FLAG_NAMES)[number];
