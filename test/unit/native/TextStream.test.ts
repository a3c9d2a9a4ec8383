import { describe, expect, it } from 'vitest';
import { TextStream } from '../../../native/llama/TextStream.js';

/** Feeds a growing text in steps and collects what the stream lets out. */
function feed(stream: TextStream, steps: string[]) {
  const deltas: string[] = [];
  let stopped = false;
  for (const text of steps) {
    const update = stream.update(text);
    deltas.push(update.delta);
    stopped ||= update.stopped;
    if (update.stopped) break;
  }
  return { deltas, stopped, finish: stream.finish() };
}

describe('TextStream', () => {
  it('lets text through as it grows', () => {
    const { deltas, finish } = feed(new TextStream([]), ['Once', 'Once upon', 'Once upon a time']);
    expect(deltas).toEqual(['Once', ' upon', ' a time']);
    expect(finish).toEqual({ delta: '', text: 'Once upon a time' });
  });

  it('holds back a half-decoded character until it completes', () => {
    const { deltas, finish } = feed(new TextStream([]), ['Zo', 'Zo\ufffd', 'Zoë', 'Zoë \ufffd\ufffd', 'Zoë 🐉']);
    expect(deltas).toEqual(['Zo', '', 'ë', ' ', '🐉']);
    expect(finish.text).toBe('Zoë 🐉');
  });

  it('holds back what may begin a stop string, and never shows the stop string', () => {
    const { deltas, stopped, finish } = feed(new TextStream(['\n## ']), ['The end', 'The end\n', 'The end\n#', 'The end\n## Memory']);
    expect(deltas).toEqual(['The end', '', '', '']);
    expect(stopped).toBe(true);
    expect(finish).toEqual({ delta: '', text: 'The end' });
  });

  it('releases held-back text that turned out not to be a stop string', () => {
    const { deltas, finish } = feed(new TextStream(['\n## ']), ['A\n', 'A\n#', 'A\n#1 fan']);
    expect(deltas.join('')).toBe('A\n#1 fan');
    expect(finish.text).toBe('A\n#1 fan');
  });

  it('finds a stop string that comes piece by piece after much text was let out, whichever stop it is', () => {
    const long = 'word '.repeat(200);
    const steps = [long, `${long}x\n`, `${long}x\n#`, `${long}x\n##`, `${long}x\n## Plans`, `${long}x\n## Plans\nEND`];
    const { deltas, stopped, finish } = feed(new TextStream(['END', '\n## ']), steps);
    expect(stopped).toBe(true);
    expect(deltas.join('')).toBe(`${long}x`);
    expect(finish.text).toBe(`${long}x`);
  });

  it('gives out held-back text at the end', () => {
    const stream = new TextStream(['STOP']);
    expect(stream.update('wait ST').delta).toBe('wait ');
    expect(stream.finish()).toEqual({ delta: 'ST', text: 'wait ST' });
  });
});
