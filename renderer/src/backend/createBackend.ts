import type { Backend } from './Backend.js';
import { ElectronBackend } from './ElectronBackend.js';
import { WebSocketBackend } from './WebSocketBackend.js';

/** The desktop app serves the UI from app://; anything else is web mode. */
export function createBackend(location: Location = window.location): Backend {
  return location.protocol === 'app:' ? new ElectronBackend() : WebSocketBackend.forPage(location);
}
