/**
 * The desktop shell: one window, the engine in a utility process, a MessagePort between them. Main stays thin
 * (windows, lifecycle, supervision); everything about stories happens in the engine.
 */
import { app, BrowserWindow, ipcMain, MessageChannelMain, net, protocol, session, shell, utilityProcess } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererRoot = path.join(here, '..', 'renderer');
const APP_ORIGIN = 'app://renderer';
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

let window: BrowserWindow | null = null;
let engine: Electron.UtilityProcess | null = null;
let quitting = false;

function startEngine(): void {
  const dbPath = path.join(app.getPath('userData'), 'longtale.db');
  engine = utilityProcess.fork(path.join(here, 'engineProcess.js'), [], {
    serviceName: 'Longtale engine',
    stdio: 'inherit',
    env: { ...process.env, LONGTALE_ENGINE_CONFIG: JSON.stringify({ dbPath, modelPath: process.env.LONGTALE_MODEL }) },
  });
  engine.on('exit', (code) => {
    engine = null;
    if (quitting) return;
    console.error(`Longtale engine exited with code ${code}; restarting it.`);
    setTimeout(() => {
      startEngine();
      connectWindow();
    }, 500);
  });
}

/** A fresh channel per (window, engine) pair; the renderer reattaches when a new port arrives. */
function connectWindow(): void {
  if (!window || !engine) return;
  const { port1, port2 } = new MessageChannelMain();
  engine.postMessage({ type: 'port' }, [port1]);
  window.webContents.postMessage('longtale:engine-port', null, [port2]);
}

function isTrustedSender(frameUrl: string | undefined): boolean {
  if (!frameUrl) return false;
  try {
    return new URL(frameUrl).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}

function createWindow(): void {
  window = new BrowserWindow({
    width: 1100,
    height: 800,
    title: 'Longtale',
    webPreferences: {
      preload: path.join(here, '..', 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https:')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== APP_ORIGIN) event.preventDefault();
  });
  window.on('closed', () => (window = null));
  void window.loadURL(`${APP_ORIGIN}/index.html`);
}

app.whenReady().then(() => {
  protocol.handle('app', (request) => {
    const file = path.normalize(path.join(rendererRoot, decodeURIComponent(new URL(request.url).pathname)));
    if (!file.startsWith(rendererRoot + path.sep)) return new Response('Forbidden', { status: 403 });
    return net.fetch(pathToFileURL(file).toString()).then((response) => {
      const headers = new Headers(response.headers);
      headers.set('Content-Security-Policy', CSP);
      return new Response(response.body, { status: response.status, headers });
    });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ipcMain.on('longtale:ready', (event) => {
    if (isTrustedSender(event.senderFrame?.url)) connectWindow();
  });
  startEngine();
  createWindow();
});

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.on('before-quit', () => {
  quitting = true;
  engine?.kill();
});

app.on('window-all-closed', () => app.quit());
