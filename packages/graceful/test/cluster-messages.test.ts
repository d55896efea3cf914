import { isProcessMessage, type ProcessMessage } from '../src/cluster-messages';

// One message of every kind, as the senders in this package build them.
const examples: readonly ProcessMessage[] = [
  { toasties: 'ready', version: 'v1' },
  { toasties: 'draining' },
  { toasties: 'listen-failed', address: '127.0.0.1:7001', code: 'EADDRINUSE', message: 'address in use' },
  { toasties: 'workers', workers: [{ pid: 4242, version: 'v1' }], reloading: false },
  { toasties: 'connection', id: 7 },
  { toasties: 'took', id: 7, open: 3 },
  { toasties: 'connections', open: 2 },
  { toasties: 'share', connections: 5 },
];

describe('the process-model IPC messages', () => {
  test('each kind is recognised as itself and as no other kind', () => {
    for (const message of examples) {
      for (const other of examples) expect(isProcessMessage(message, other.toasties)).toBe(other.toasties === message.toasties);
    }
  });

  test('what others send on the same channel is not ours', () => {
    // node's own internal messages, express-rate-limit's cluster store, the cluster queries'
    for (const foreign of [null, undefined, 'ready', 42, { cmd: 'NODE_CLUSTER', act: 'online' }, { type: 'rate-limit', toasties: 'nope' }, { toasties: 'cluster-ask', id: 1, topic: 'metrics' }]) {
      expect(isProcessMessage(foreign, 'ready')).toBe(false);
      expect(isProcessMessage(foreign, 'connection')).toBe(false);
    }
  });
});
