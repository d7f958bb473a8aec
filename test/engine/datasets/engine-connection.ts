import { Engine } from '../../../src-main/engine/engine';
import { connectionPair } from '../../../src-main/engine/hosts/in-process';
import { createEngineServices } from '../../../src-main/engine/services';
import { EngineEvent, type EngineEventOf, type RequestInput, parseWith } from '../../../src-main/protocol';

/**
 * An engine with one in-process client connection (events validated as a client would);
 * `next(type)` waits for the next event of a type or an `error`; `close()` ends the connection as
 * a host would.
 */
export async function connectEngine(runsDir?: string) {
  const services = await createEngineServices('in-process', 'cpu', () => {});
  if (runsDir) services.runsDir = runsDir;
  const engine = new Engine(services);
  const [client, server] = connectionPair();
  const closeHandlers: Array<() => void> = [];
  const onClose = server.onClose.bind(server);
  server.onClose = (h) => {
    closeHandlers.push(h);
    onClose(h);
  };
  engine.attach(server);
  const events: EngineEvent[] = [];
  const waiters: Array<() => void> = [];
  client.onMessage((data) => {
    const parsed = parseWith(EngineEvent, data);
    if (!parsed.ok) throw new Error(`invalid event: ${parsed.error}`);
    events.push(parsed.value);
    for (const w of waiters.splice(0)) w();
  });
  const send = (request: RequestInput) => client.post(request);
  async function next<T extends EngineEvent['type']>(type: T, orError = true): Promise<EngineEventOf<T> | EngineEventOf<'error'>> {
    for (;;) {
      const i = events.findIndex((e) => e.type === type || (orError && e.type === 'error'));
      if (i >= 0) return events.splice(i, 1)[0] as EngineEventOf<T> | EngineEventOf<'error'>;
      await new Promise<void>((r) => waiters.push(r));
    }
  }
  /** The next event of `type`; fails on an error event. */
  async function expectEvent<T extends EngineEvent['type']>(type: T): Promise<EngineEventOf<T>> {
    const e = await next(type);
    if (e.type === 'error' && type !== 'error') throw new Error(`expected ${type}, got error: ${(e as EngineEventOf<'error'>).message}`);
    return e as EngineEventOf<T>;
  }
  return { engine, services, send, next, expectEvent, events, close: () => closeHandlers.forEach((h) => h()) };
}
