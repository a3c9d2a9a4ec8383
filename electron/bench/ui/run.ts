import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatFigures } from '../formatFigures.js';
import { uiBench } from './uiBench.js';

/** `npm run bench:ui [-- --json --repeats N --steps N --nodes N --model FILE]`: U1 and U2 (README, Performance). */
const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    repeats: { type: 'string', default: '6' },
    steps: { type: 'string', default: '3' },
    nodes: { type: 'string', default: '10000' },
    model: { type: 'string' },
    'passage-tokens': { type: 'string', default: '120' },
    'context-size': { type: 'string', default: '2048' },
  },
});
const positive = (name: string, text: string | undefined) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, not "${text}".`);
  return n;
};
const fallbackModel = path.resolve('../shared/models/stories260K.gguf');
const model = values.model ?? (process.env.LONGTALE_MODEL || (fs.existsSync(fallbackModel) ? fallbackModel : null));

const report = await uiBench({
  nodes: Math.max(2, positive('nodes', values.nodes)),
  repeats: Math.max(1, positive('repeats', values.repeats)),
  steps: positive('steps', values.steps),
  model: model ? path.resolve(model) : null,
  passageTokens: positive('passage-tokens', values['passage-tokens']),
  contextSize: positive('context-size', values['context-size']),
});
if (values.json) console.log(JSON.stringify(report));
else {
  const { machine } = report;
  console.log(`Chromium, ${report.nodes} passages, ${report.model ?? 'no model'} on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, load average ${report.loadAverage}`);
  for (const line of formatFigures(report.figures)) console.log(line);
}
