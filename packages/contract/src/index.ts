/**
 * @toasties/contract — the one home of what the services, the scripts and the tests agree on.
 * Each part is a module of its own; nothing here does I/O or knows about HTTP frameworks.
 */
export {};
