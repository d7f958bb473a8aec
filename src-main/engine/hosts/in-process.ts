import type { Connection } from '../../protocol';

/**
 * A connected pair of in-process connections: what one posts, the other receives on the next
 * microtask. For the CLI's headless runs and for tests that need no second process.
 */
export function connectionPair(): [Connection, Connection] {
  const make = () => ({ message: [] as ((d: unknown) => void)[], close: [] as (() => void)[] });
  const a = make();
  const b = make();
  const side = (self: typeof a, peer: typeof a): Connection => ({
    post: (message) => queueMicrotask(() => peer.message.forEach((h) => h(message))),
    onMessage: (h) => self.message.push(h),
    onClose: (h) => self.close.push(h),
  });
  return [side(a, b), side(b, a)];
}
