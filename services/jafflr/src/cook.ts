export const DONENESS = ['light', 'medium', 'well-done', 'burnt'] as const;
export type Doneness = (typeof DONENESS)[number];

/** At COOK_TIME_SCALE=1. */
export const COOK_TIME_MS: Readonly<Record<Doneness, number>> = {
  light: 1000,
  medium: 2000,
  'well-done': 5000,
  burnt: 10000,
};

export function cookTimeMs(doneness: Doneness, scale: number): number {
  return Math.round(COOK_TIME_MS[doneness] * scale);
}

/** Resolves with the milliseconds spent. */
export async function cook(doneness: Doneness, scale: number): Promise<number> {
  const ms = cookTimeMs(doneness, scale);
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
}
