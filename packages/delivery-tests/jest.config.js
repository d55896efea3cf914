// Two test files at a time, whatever the core count (jest's default is one fewer worker than
// cores: one, on a two-core CI machine, where this package's files are the longest chain of
// the whole run). Most of their time is spent waiting on other processes (deploys' confirm
// windows, image builds, services starting), so a second file overlaps that waiting; each
// file has its own temp dirs, ports and deploy root, so two never meet.
module.exports = { ...require('../../jest/base.js'), maxWorkers: 2, testSequencer: require.resolve('./jest.sequencer.js') };
