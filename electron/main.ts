/**
 * The desktop shell: one window, the engine in a supervised utility process, a MessagePort between them. Main
 * stays thin (windows, lifecycle, supervision); everything about stories happens in the engine. The security
 * settings live in electron/shell/ where tests check them without Electron.
 */
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  MessageChannelMain,
  net,
  protocol,
  screen,
  session,
  shell,
  utilityProcess,
  type UtilityProcess,
} from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EngineSupervisor } from './shell/EngineSupervisor.js';
import { APP_ORIGIN, isTrustedUrl } from './shell/isTrustedUrl.js';
import { CONTENT_SECURITY_POLICY, WEB_PREFERENCES } from './shell/securityPolicy.js';
import { WindowState } from './shell/WindowState.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererRoot = path.join(here, '..', 'renderer');

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

// One app per user: a second launch focuses the first instead of opening the same database twice.
if (!app.requestSingleInstanceLock()) app.quit();

let window: BrowserWindow | null = null;
let quitting = false;

const supervisor = new EngineSupervisor<UtilityProcess>({
  spawn: () =>
    utilityProcess.fork(path.join(here, 'engineProcess.js'), [], {
      serviceName: 'Longtale engine',
      stdio: 'inherit',
      env: {
        ...process.env,
        LONGTALE_ENGINE_CONFIG: JSON.stringify({
          dbPath: path.join(app.getPath('userData'), 'longtale.db'),
          modelPath: process.env.LONGTALE_MODEL || undefined,
          embeddingModelPath: process.env.LONGTALE_EMBEDDING_MODEL || undefined,
        }),
      },
    }),
  onStart: (_engine, restarted) => {
    if (restarted) console.error('Longtale engine restarted after it stopped unexpectedly; the stories are intact.');
    connectWindow();
  },
  onGiveUp: (crashes) => {
    console.error(`Longtale engine stopped ${crashes} times in a minute; not restarting it again.`);
    window?.webContents.postMessage('longtale:engine-failed', crashes);
  },
});

/** A fresh channel per (window, engine) pair; the renderer reattaches when a new port arrives. */
function connectWindow(): void {
  const engine = supervisor.current;
  if (!window || !engine) return;
  const { port1, port2 } = new MessageChannelMain();
  engine.postMessage({ type: 'port' }, [port1]);
  window.webContents.postMessage('longtale:engine-port', null, [port2]);
}

function createWindow(): void {
  const state = new WindowState(app.getPath('userData'));
  const bounds = state.load(screen.getAllDisplays().map((d) => d.workArea));
  window = new BrowserWindow({
    ...bounds,
    minWidth: 480,
    minHeight: 360,
    title: 'Longtale',
    show: false,
    webPreferences: { ...WEB_PREFERENCES, preload: path.join(here, '..', 'preload', 'preload.cjs') },
  });
  if (bounds.maximized) window.maximize();
  window.once('ready-to-show', () => window?.show());
  window.on('close', () => {
    if (!window) return;
    state.save({ ...window.getNormalBounds(), maximized: window.isMaximized() });
  });
  window.on('closed', () => (window = null));
  void window.loadURL(`${APP_ORIGIN}/index.html`);
}

function serveRenderer(): void {
  protocol.handle('app', async (request) => {
    const file = path.normalize(path.join(rendererRoot, decodeURIComponent(new URL(request.url).pathname)));
    if (!file.startsWith(rendererRoot + path.sep)) return new Response('Forbidden', { status: 403 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

function buildMenu(): void {
  const isMac = process.platform === 'darwin';
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(isMac ? [{ role: 'appMenu' as const }] : []),
      { role: 'fileMenu' },
      { role: 'editMenu' },
      {
        label: 'View',
        submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
      },
      { role: 'windowMenu' },
      {
        role: 'help',
        submenu: [{ label: 'Longtale on the web', click: () => void shell.openExternal('https://longtale.invalid') }],
      },
    ]),
  );
}

app.on('second-instance', () => {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.focus();
});

app.on('web-contents-created', (_event, contents) => {
  // Checklist 12–14: no webviews, no navigation away from our origin, no new windows (https opens in a browser).
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https:')) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

app.whenReady().then(() => {
  serveRenderer();
  // Checklist 5: no permission is ever granted (camera, notifications, geolocation…).
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  ipcMain.on('longtale:ready', (event) => {
    // Checklist 17: only our own page may ask for the engine.
    if (isTrustedUrl(event.senderFrame?.url)) connectWindow();
  });
  buildMenu();
  supervisor.start();
  createWindow();
});

app.on('before-quit', () => {
  quitting = true;
  supervisor.stop();
});

app.on('window-all-closed', () => {
  if (quitting || process.platform !== 'darwin') app.quit();
});
