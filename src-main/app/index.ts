import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, Menu, Notification, session, type MessageBoxOptions } from 'electron';
import { appVersions } from './app-versions';
import { installContentSecurityPolicy } from './content-security-policy';
import { EngineSupervisor, type EngineExit } from './engine-supervisor';
import { notifyEngineRestarted, registerIpcHandlers } from './ipc';
import { createMainWindow, WindowRegistry } from './main-window';
import { aboutDetail, appMenuTemplate } from './menu';
import { appPaths } from './paths';
import { denyAllPermissions, guardWebContents } from './web-guards';
import { handleVideoProtocol, registerVideoScheme } from './video-protocol';
import { VideoGrants } from '../protocol/video-grants';

/**
 * Electron main: windows, menu, security and the engine's supervision. Nothing heavy runs here;
 * a busy main process freezes every window.
 */

const paths = appPaths({
  mainDir: dirname(fileURLToPath(import.meta.url)),
  isPackaged: app.isPackaged,
  resourcesPath: process.resourcesPath,
  devServerUrl: process.env.ELECTRON_RENDERER_URL,
});
const windows = new WindowRegistry();
const engine = new EngineSupervisor({ enginePath: paths.engine, resourcesDir: paths.resources, configDir: app.getPath('userData') });
/** Dataset videos the engine granted, served to our windows as mbrl-video://grant/<token>. */
const videoGrants = new VideoGrants();
// Privileged schemes can only be declared before 'ready'.
registerVideoScheme();

// One workbench per user: a second engine would compete for the same run folders and the GPU.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => focusOrOpenWindow());
  // Guard every webContents as it is created, before it can navigate anywhere.
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, paths.renderer));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // The engine would otherwise see its exit during quit as a crash and be restarted.
  app.on('before-quit', () => void engine.stop());
  app.whenReady().then(onReady, (error: unknown) => {
    console.error('[app] failed to start:', error);
    app.exit(1);
  });
}

function onReady(): void {
  installContentSecurityPolicy(session.defaultSession);
  denyAllPermissions(session.defaultSession);
  handleVideoProtocol(session.defaultSession, videoGrants, paths.renderer);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(appMenuTemplate({ isDev: !app.isPackaged, platform: process.platform, onAbout: showAbout })),
  );
  superviseEngine();
  registerIpcHandlers({
    connectEngine: () => engine.connect(),
    versions: appVersions,
    renderer: paths.renderer,
    isOurWebContents: (contents) => windows.owns(contents),
  });
  app.on('activate', () => {
    if (windows.all().length === 0) windows.add(createMainWindow(paths));
  });
  windows.add(createMainWindow(paths));
}

function superviseEngine(): void {
  engine.on('log', (stream, line) => (stream === 'stderr' ? console.error : console.log)(`[engine] ${line}`));
  // Only the engine posts here (renderers talk to it over their own ports); malformed messages are ignored.
  engine.on('message', (data) => videoGrants.apply(data));
  // A new engine has none of the old one's datasets open.
  engine.on('exit', () => videoGrants.clear());
  engine.on('restarted', ({ exit, attempt }) => {
    const message = `The engine stopped unexpectedly (${describeExit(exit)}) and was restarted (restart ${attempt}). Running jobs were lost.`;
    console.error(`[app] ${message}`);
    notifyEngineRestarted(windows.all(), message);
    if (Notification.isSupported()) new Notification({ title: 'MBRL Lab engine restarted', body: message }).show();
  });
  engine.on('gave-up', (exit) => void offerEngineRestart(exit));
  engine.start();
}

/** The engine crashes at every start: say so, with its last words, and let the user try again. */
async function offerEngineRestart(exit: EngineExit): Promise<void> {
  const parent = windows.all()[0];
  const options: MessageBoxOptions = {
    type: 'error',
    title: 'MBRL Lab engine',
    message: `The engine keeps stopping (${describeExit(exit)}) and was not restarted.`,
    detail: exit.stderrTail.join('\n') || 'It wrote nothing to stderr.',
    buttons: ['Try again', 'Close'],
    defaultId: 0,
    cancelId: 1,
  };
  const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
  if (response !== 0) return;
  engine.start();
  notifyEngineRestarted(windows.all(), 'The engine was started again.');
}

function describeExit(exit: EngineExit): string {
  return `exit code ${exit.code}`;
}

function showAbout(): void {
  const options: MessageBoxOptions = {
    type: 'info',
    title: 'About MBRL Lab',
    message: 'MBRL Lab',
    detail: aboutDetail(appVersions()),
    buttons: ['OK'],
  };
  const parent = windows.all()[0];
  void (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
}

function focusOrOpenWindow(): void {
  const [window] = windows.all();
  if (!window) {
    if (app.isReady()) windows.add(createMainWindow(paths));
    return;
  }
  if (window.isMinimized()) window.restore();
  window.focus();
}
