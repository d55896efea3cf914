import { spawnSync } from 'node:child_process';
import { findOnPath, type SystemTool } from '@toasties/testkit';

// The engine scripts/image-test.sh drives, chosen as scripts/lib/container-engine.sh
// chooses it: CONTAINER_ENGINE if set, Docker where its daemon answers, podman otherwise.
function containerEngine(): string {
  if (process.env.CONTAINER_ENGINE) return process.env.CONTAINER_ENGINE;
  const docker = findOnPath('docker');
  const answers = docker !== undefined && spawnSync(docker, ['info'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
  return answers ? 'docker' : 'podman';
}

export const CONTAINER_ENGINE: SystemTool = {
  command: containerEngine(),
  install: 'apt-get install podman runc uidmap mmdebstrap, or Docker (docs/delivery.md)',
};
