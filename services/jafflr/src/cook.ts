export const DONENESS = ['light', 'medium', 'well-done', 'burnt'] as const;
export type Doneness = (typeof DONENESS)[number];

/** How long each doneness takes at COOK_TIME_SCALE=1. */
export const COOK_TIME_MS: Readonly<Record<Doneness, number>> = {
  light: 1000,
  medium: 2000,
  'well-done': 5000,
  burnt: 10000,
};

/** How long cooking this doneness takes at `scale`, in whole milliseconds. */
export function cookTimeMs(doneness: Doneness, scale: number): number {
  return Math.round(COOK_TIME_MS[doneness] * scale);
}

/** Cook for the doneness's time times `scale`; resolves with the milliseconds spent. */
export async function cook(doneness: Doneness, scale: number): Promise<number> {
  const ms = cookTimeMs(doneness, scale);
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
}
