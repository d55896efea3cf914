import { createClusterStatus } from '../src';

// What /health says about the cluster is held by the service, one object each: two services
// (or two apps a test builds) in one process must not read each other's workers.
describe('createClusterStatus()', () => {
  test('says nothing until the primary has announced who serves', () => {
    expect(createClusterStatus().details()).toEqual({});
  });

  test('each status keeps its own announcements, the latest one winning', () => {
    const jafflr = createClusterStatus();
    const chillybin = createClusterStatus();
    jafflr.record({ toasties: 'workers', workers: [{ pid: 1, version: 'v1' }], reloading: true });
    jafflr.record({ toasties: 'workers', workers: [{ pid: 2, version: 'v2' }], reloading: false });

    expect(jafflr.details()).toEqual({ workers: [{ pid: 2, version: 'v2' }], reloading: false });
    expect(chillybin.details()).toEqual({});
  });

  test('an announcement with nobody serving (the last worker gone) clears it', () => {
    const status = createClusterStatus();
    status.record({ toasties: 'workers', workers: [{ pid: 1, version: 'v1' }], reloading: false });
    status.record({ toasties: 'workers', workers: [], reloading: false });
    expect(status.details()).toEqual({});
  });
});
