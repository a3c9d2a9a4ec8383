/**
 * Transport only: receives the engine's MessagePort from main and hands it to the page. The page gets no
 * Electron or Node API at all, only the port (the contract's messages travel over it).
 */
import { ipcRenderer } from 'electron';

// The preload runs in the page's world; the Node-side tsconfig has no DOM types, so name the little we use.
declare const window: {
  location: { origin: string };
  postMessage(message: unknown, targetOrigin: string, transfer: unknown[]): void;
  addEventListener(type: 'DOMContentLoaded', listener: () => void): void;
};

const ENGINE_PORT_CHANNEL = 'longtale:engine-port';

ipcRenderer.on(ENGINE_PORT_CHANNEL, (event) => {
  const [port] = event.ports;
  if (port) window.postMessage(ENGINE_PORT_CHANNEL, window.location.origin, [port]);
});

window.addEventListener('DOMContentLoaded', () => ipcRenderer.send('longtale:ready'));
