import type { SideConnection } from './pool';

/** On readiness' own connection, so a pool busy with requests does not fail it. */
export function postgresWriteProbe(side: SideConnection): Promise<void> {
  return side.query("INSERT INTO write_probe (filler) VALUES (decode(repeat('00', 4096), 'hex')); DELETE FROM write_probe");
}
