// Shared jest settings for every workspace. Type errors are the typecheck task's job,
// so ts-jest only transpiles (isolatedModules in tsconfig) and tests start fast.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  // A deadline, not a wait: services start slowly when a whole turbo run shares two cores.
  testTimeout: 120000,
};
