import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { relayEnginePorts } from '../../src-main/preload/engine-port-relay';
import { createLabApi, type LabIpc } from '../../src-main/preload/lab-api';
import { ENGINE_PORT_WINDOW_MESSAGE, IpcChannel } from '../../src-main/protocol/ipc-channels';

const SURFACE = ['appVersions', 'chooseDatasetPath', 'chooseExportPath', 'onEngineRestarted', 'requestEnginePort'];

/** An ipcRenderer stand-in: `invoke` records calls, `on`/`removeListener` are a real emitter. */
function fakeIpc() {
  const emitter = new EventEmitter();
  const invoke = vi.fn(async (channel: string) => (channel === IpcChannel.appVersions ? { electron: '45.4.1' } : undefined));
  const ipc = {
    invoke,
    on: vi.fn((channel: string, listener: (...args: unknown[]) => void) => emitter.on(channel, listener)),
    removeListener: vi.fn((channel: string, listener: (...args: unknown[]) => void) => emitter.removeListener(channel, listener)),
  };
  return { ipc, emitter, asLabIpc: ipc as unknown as LabIpc };
}

const { exposeInMainWorld, ipcRenderer } = vi.hoisted(() => ({
  exposeInMainWorld: vi.fn(),
  ipcRenderer: { invoke: () => Promise.resolve(), on: () => undefined, removeListener: () => undefined },
}));
vi.mock('electron', () => ({ contextBridge: { exposeInMainWorld }, ipcRenderer }));

describe('createLabApi', () => {
  let fake: ReturnType<typeof fakeIpc>;
  beforeEach(() => {
    fake = fakeIpc();
  });

  it('exposes exactly the functions of LabPreloadApi', () => {
    const api = createLabApi(fake.asLabIpc);
    expect(Object.keys(api).sort()).toEqual(SURFACE);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('the dataset dialogs invoke their channels with a checked argument and return a path or null', async () => {
    const api = createLabApi(fake.asLabIpc);
    fake.ipc.invoke.mockResolvedValueOnce('/data/demo.hdf5' as never);
    await expect(api.chooseDatasetPath!('folder')).resolves.toBe('/data/demo.hdf5');
    expect(fake.ipc.invoke).toHaveBeenLastCalledWith(IpcChannel.chooseDatasetPath, 'folder');
    await expect(api.chooseDatasetPath!('anything' as never)).resolves.toBeNull();
    expect(fake.ipc.invoke).toHaveBeenLastCalledWith(IpcChannel.chooseDatasetPath, 'file');
    fake.ipc.invoke.mockResolvedValueOnce({ not: 'a path' } as never);
    await expect(api.chooseExportPath!('npz')).resolves.toBeNull();
    expect(fake.ipc.invoke).toHaveBeenLastCalledWith(IpcChannel.chooseExportPath, 'npz');
  });

  it('requestEnginePort invokes its channel and resolves to nothing', async () => {
    await expect(createLabApi(fake.asLabIpc).requestEnginePort()).resolves.toBeUndefined();
    expect(fake.ipc.invoke).toHaveBeenCalledWith(IpcChannel.requestEnginePort);
  });

  it('appVersions invokes its channel and returns the answer', async () => {
    await expect(createLabApi(fake.asLabIpc).appVersions()).resolves.toEqual({ electron: '45.4.1' });
    expect(fake.ipc.invoke).toHaveBeenCalledWith(IpcChannel.appVersions);
  });

  it('onEngineRestarted passes the message, not the IPC event, and unsubscribes', () => {
    const handler = vi.fn();
    const unsubscribe = createLabApi(fake.asLabIpc).onEngineRestarted(handler);
    const event = { sender: 'ipcRenderer itself' };
    fake.emitter.emit(IpcChannel.engineRestarted, event, 'engine restarted');
    expect(handler).toHaveBeenCalledExactlyOnceWith('engine restarted');

    unsubscribe();
    expect(fake.emitter.listenerCount(IpcChannel.engineRestarted)).toBe(0);
    fake.emitter.emit(IpcChannel.engineRestarted, event, 'again');
    expect(handler).toHaveBeenCalledOnce();
  });
});

describe('relayEnginePorts', () => {
  const ports = [{ name: 'port' }];

  it.each([
    ['file://', 'null', '*'],
    ['the dev server', 'http://localhost:5173', 'http://localhost:5173'],
  ])('posts the port to the page loaded from %s', (_from, origin, target) => {
    const { ipc, emitter } = fakeIpc();
    const page = { location: { origin }, postMessage: vi.fn() };
    relayEnginePorts(ipc as unknown as LabIpc, () => page);
    emitter.emit(IpcChannel.enginePort, { ports });
    expect(page.postMessage).toHaveBeenCalledExactlyOnceWith(ENGINE_PORT_WINDOW_MESSAGE, target, ports);
  });
});

describe('preload entry', () => {
  it('exposes window.lab once, with the same surface, and never ipcRenderer', async () => {
    await import('../../src-main/preload/index');
    expect(exposeInMainWorld).toHaveBeenCalledOnce();
    const [name, api] = exposeInMainWorld.mock.calls[0]!;
    expect(name).toBe('lab');
    expect(Object.keys(api).sort()).toEqual(SURFACE);
    for (const value of Object.values(api as object)) {
      expect(typeof value).toBe('function');
      expect(value).not.toBe(ipcRenderer);
    }
  });
});
