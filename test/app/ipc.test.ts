import { beforeEach, describe, expect, it, vi } from 'vitest';
import { isTrustedSender, notifyEngineRestarted, registerIpcHandlers } from '../../src-main/app/ipc';
import { IpcChannel } from '../../src-main/protocol/ipc-channels';

type Handler = (event: unknown) => unknown;
// vi.mock is hoisted above the imports, so what its factory uses must be hoisted too.
const { handlers, dialog } = vi.hoisted(() => ({
  handlers: new Map<string, Handler>(),
  dialog: {
    showOpenDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: false, filePaths: ['/data/demo.hdf5'] })),
    showSaveDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePath: '' })),
  },
}));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
  dialog,
  BrowserWindow: { fromWebContents: () => ({ id: 1 }) },
}));

const indexPath = '/repo/out/renderer/index.html';
const ours = { kind: 'file', path: indexPath } as const;
const ourUrl = 'file:///repo/out/renderer/index.html';

describe('isTrustedSender', () => {
  const good = { url: ourUrl, isMainFrame: true, isOurWindow: true };

  it('accepts the top frame of our window showing our page', () => {
    expect(isTrustedSender(good, ours)).toBe(true);
    expect(isTrustedSender({ ...good, url: `${ourUrl}#/datasets` }, ours)).toBe(true);
  });

  it('refuses a subframe, a foreign window, another page and a vanished frame', () => {
    expect(isTrustedSender({ ...good, isMainFrame: false }, ours)).toBe(false);
    expect(isTrustedSender({ ...good, isOurWindow: false }, ours)).toBe(false);
    expect(isTrustedSender({ ...good, url: 'https://evil.example/' }, ours)).toBe(false);
    expect(isTrustedSender({ ...good, url: 'file:///home/u/Downloads/index.html' }, ours)).toBe(false);
    expect(isTrustedSender({ ...good, url: undefined }, ours)).toBe(false);
  });

  it('accepts the dev server origin only', () => {
    const dev = { kind: 'dev-server', url: 'http://localhost:5173' } as const;
    expect(isTrustedSender({ ...good, url: 'http://localhost:5173/' }, dev)).toBe(true);
    expect(isTrustedSender({ ...good, url: 'http://localhost:8080/' }, dev)).toBe(false);
  });
});

describe('registerIpcHandlers', () => {
  const ourContents = { postMessage: vi.fn() };
  const port = { kind: 'client-port' };
  const connectEngine = vi.fn(() => port);
  /** An ipcMain.handle event from a frame with the given URL and parent. */
  const eventFrom = (url: string, { sender = ourContents, parent = null as object | null } = {}) => ({
    sender,
    senderFrame: { url, parent },
  });

  beforeEach(() => {
    handlers.clear();
    vi.clearAllMocks();
    registerIpcHandlers({
      connectEngine: connectEngine as never,
      versions: () => ({ app: '0.1.0' }),
      renderer: ours,
      isOurWebContents: (contents) => contents === (ourContents as never),
    });
  });

  it('sends a new engine port to our page', () => {
    handlers.get(IpcChannel.requestEnginePort)!(eventFrom(ourUrl));
    expect(connectEngine).toHaveBeenCalledOnce();
    expect(ourContents.postMessage).toHaveBeenCalledWith(IpcChannel.enginePort, null, [port]);
  });

  it('refuses a foreign origin, a subframe and another webContents without connecting', () => {
    const request = handlers.get(IpcChannel.requestEnginePort)!;
    expect(() => request(eventFrom('https://evil.example/'))).toThrow(/IPC refused/);
    expect(() => request(eventFrom(ourUrl, { parent: {} }))).toThrow(/IPC refused/);
    expect(() => request(eventFrom(ourUrl, { sender: { postMessage: vi.fn() } }))).toThrow(/IPC refused/);
    expect(() => request({ sender: ourContents, senderFrame: null })).toThrow(/IPC refused/);
    expect(connectEngine).not.toHaveBeenCalled();
  });

  it('answers appVersions for our page only', () => {
    expect(handlers.get(IpcChannel.appVersions)!(eventFrom(ourUrl))).toEqual({ app: '0.1.0' });
    expect(() => handlers.get(IpcChannel.appVersions)!(eventFrom('https://evil.example/'))).toThrow();
  });

  it('shows the dataset dialogs for our page only: a folder or file to open, a path to save', async () => {
    const choose = handlers.get(IpcChannel.chooseDatasetPath)!;
    await expect((choose as (e: unknown, kind: string) => Promise<string | null>)(eventFrom(ourUrl), 'folder')).resolves.toBe('/data/demo.hdf5');
    expect((dialog.showOpenDialog.mock.calls[0] as unknown[])[1]).toMatchObject({ properties: ['openDirectory'] });
    const save = handlers.get(IpcChannel.chooseExportPath)! as (e: unknown, format: string) => Promise<string | null>;
    await expect(save(eventFrom(ourUrl), 'npz')).resolves.toBeNull();
    expect((dialog.showSaveDialog.mock.calls[0] as unknown[])[1]).toMatchObject({ filters: [{ extensions: ['npz'] }] });
    expect(() => choose(eventFrom('https://evil.example/'))).toThrow(/IPC refused/);
    expect(dialog.showOpenDialog).toHaveBeenCalledOnce();
  });

  it('removes its handlers when disposed', () => {
    handlers.clear();
    const dispose = registerIpcHandlers({
      connectEngine: connectEngine as never,
      versions: () => ({}),
      renderer: ours,
      isOurWebContents: () => true,
    });
    dispose();
    expect(handlers.size).toBe(0);
  });
});

describe('notifyEngineRestarted', () => {
  it('tells every open window and skips destroyed ones', () => {
    const open = { isDestroyed: () => false, webContents: { send: vi.fn() } };
    const gone = { isDestroyed: () => true, webContents: { send: vi.fn() } };
    notifyEngineRestarted([open, gone] as never, 'restarted');
    expect(open.webContents.send).toHaveBeenCalledWith(IpcChannel.engineRestarted, 'restarted');
    expect(gone.webContents.send).not.toHaveBeenCalled();
  });
});
