// Shared jest settings for every workspace. Type errors are the typecheck task's job,
// so ts-jest only transpiles (isolatedModules in tsconfig) and tests start fast.
const { join } = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  // node, plus the clean-up of whatever a test file started through testkit (environment.js).
  testEnvironment: require.resolve('./environment.js'),
  roots: ['<rootDir>'],
  // Tests live in each workspace's test/ folder, beside src/ (one convention; a test elsewhere
  // would not run, so delivery-tests' layout test refuses one).
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  // A deadline, not a wait: services start slowly when a whole turbo run shares two cores.
  testTimeout: 120000,
  // jest's own cache stays in the repository's node_modules, not in the system temp folder.
  cacheDirectory: join(__dirname, '..', 'node_modules', '.cache', 'jest'),
  // The system temp folder is the run's own, removed at the end (see temp-root.js).
  globalSetup: require.resolve('./temp-root-setup.js'),
  globalTeardown: require.resolve('./temp-root-teardown.js'),
};
