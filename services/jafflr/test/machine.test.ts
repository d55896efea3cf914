import { combinedStatus, createMachine } from '../src/machine';

describe('the machine status', () => {
  test('stays "toasting" until the last of two toasties is done, and counts what was made', async () => {
    const machine = createMachine();
    let finishFirst!: () => void;
    let finishSecond!: () => void;
    const first = machine.run(() => new Promise<void>((resolve) => (finishFirst = resolve)));
    const second = machine.run(() => new Promise<void>((resolve) => (finishSecond = resolve)));
    expect(machine.status()).toEqual({ status: 'toasting', inProgress: 2, made: 0 });

    finishFirst();
    await first;
    expect(machine.status()).toEqual({ status: 'toasting', inProgress: 1, made: 1 });

    finishSecond();
    await second;
    expect(machine.status()).toEqual({ status: 'available', inProgress: 0, made: 2 });
  });

  test('a toastie that fails is no longer in progress and is not counted as made', async () => {
    const machine = createMachine();
    await expect(machine.run(() => Promise.reject(new Error('out of cheese')))).rejects.toThrow();
    expect(machine.status()).toEqual({ status: 'available', inProgress: 0, made: 0 });
  });
});

describe('the service status over several workers', () => {
  test('sums what every machine made and has in progress: toasting while any one is', () => {
    expect(combinedStatus([
      { status: 'available', inProgress: 0, made: 3 },
      { status: 'toasting', inProgress: 1, made: 2 },
    ])).toEqual({ status: 'toasting', inProgress: 1, made: 5 });
    expect(combinedStatus([])).toEqual({ status: 'available', inProgress: 0, made: 0 });
  });
});
