// Two test files at a time, whatever the core count (jest's default is one fewer worker than
// cores: one, on a two-core CI machine, where this package's files are the longest chain of the
// whole run). Much of their time is spent waiting on other processes (services starting and
// draining, real cooking times, Unleash and PostgreSQL starting), so a second file overlaps
// that waiting; each file starts its own services on ports the kernel picks, with its own
// databases and temp dirs, so two never meet.
module.exports = { ...require('../../jest/base.js'), maxWorkers: 2 };
