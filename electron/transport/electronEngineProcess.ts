/**
 * The engine inside Electron: a utility process forked by main. Main sends `{type:'port'}` with a MessagePort
 * for each window; every port gets its own Connection to the one Engine. A crash here never takes the window.
 */
import { Connection } from '../engine/Connection.js';
import { Engine } from '../engine/Engine.js';
import { llamaModelLoader } from '../engine/llamaModelLoader.js';
import { VERSION } from '../engine/version.js';
import type { MessagePortMain } from 'electron';

interface EngineProcessConfig {
  dbPath: string;
  modelPath?: string;
  embeddingModelPath?: string;
}

function readConfig(): EngineProcessConfig {
  const raw = process.env.LONGTALE_ENGINE_CONFIG;
  if (!raw) throw new Error('LONGTALE_ENGINE_CONFIG is not set; main starts this process with it.');
  const config = JSON.parse(raw) as Partial<EngineProcessConfig>;
  if (typeof config.dbPath !== 'string') throw new Error('LONGTALE_ENGINE_CONFIG has no dbPath.');
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return { dbPath: config.dbPath, modelPath: text(config.modelPath), embeddingModelPath: text(config.embeddingModelPath) };
}

const config = readConfig();
const engine = Engine.open({
  dbPath: config.dbPath,
  modelPath: config.modelPath,
  embeddingModelPath: config.embeddingModelPath,
  loader: llamaModelLoader(),
  version: VERSION,
});
engine.preload();

process.parentPort.on('message', (event: { data: unknown; ports: MessagePortMain[] }) => {
  const port = event.ports[0];
  if ((event.data as { type?: unknown } | null)?.type !== 'port' || !port) return;
  const connection = new Connection(engine, (message) => port.postMessage(message));
  port.on('message', (message) => connection.receive(message.data));
  port.on('close', () => connection.close());
  port.start();
});

process.on('SIGTERM', () => void engine.dispose().finally(() => process.exit(0)));
