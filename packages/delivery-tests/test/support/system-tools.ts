import type { SystemTool } from '@toasties/testkit';

// Tools from Debian that `npm ci` cannot bring. .ci/run installs them; a laptop without
// them skips the tests that need them (see docs/testing.md).
export const SHELLCHECK: SystemTool = { command: 'shellcheck', install: 'apt-get install shellcheck' };
export const PROMTOOL: SystemTool = { command: 'promtool', install: 'apt-get install prometheus' };
