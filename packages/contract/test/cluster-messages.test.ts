import { isClusterMessage, type ClusterMessage } from '../src';

// One message of every kind, as the senders in @toasties/graceful and @toasties/observability build them.
const examples: readonly ClusterMessage[] = [
  { toasties: 'ready', version: 'v1' },
  { toasties: 'listen-failed', address: '127.0.0.1:7001', code: 'EADDRINUSE', message: 'address in use' },
  { toasties: 'workers', workers: [{ pid: 4242, version: 'v1' }], reloading: false },
  { toasties: 'cluster-ask', id: 1, topic: 'metrics' },
  { toasties: 'cluster-question', id: 7, topic: 'metrics' },
  { toasties: 'cluster-answer', id: 7, known: true, value: [] },
  { toasties: 'cluster-answers', id: 1, answers: [{ pid: 4242, value: [] }], missing: [], timeoutMs: 2000 },
];

describe('the cluster IPC messages', () => {
  test('each kind is recognised as itself and as no other kind', () => {
    for (const message of examples) {
      for (const other of examples) expect(isClusterMessage(message, other.toasties)).toBe(other.toasties === message.toasties);
    }
  });

  test('what others send on the same channel is not ours', () => {
    // node's own internal messages, express-rate-limit's cluster store, anything at all
    for (const foreign of [null, undefined, 'ready', 42, { cmd: 'NODE_CLUSTER', act: 'online' }, { type: 'rate-limit', toasties: 'nope' }]) {
      expect(isClusterMessage(foreign, 'ready')).toBe(false);
      expect(isClusterMessage(foreign, 'cluster-answer')).toBe(false);
    }
  });
});
