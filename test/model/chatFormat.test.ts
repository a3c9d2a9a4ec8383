import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlamaRuntime, type LlamaTextModel } from '../../native/llama/index.js';
import { writeTinyGguf } from '../fixtures/gguf/writeTinyGguf.js';

const CHATML = `{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-chat-'));
let runtime: LlamaRuntime;
let chat: LlamaTextModel;
let plain: LlamaTextModel;

beforeAll(async () => {
  const withTemplate = path.join(dir, 'chat.gguf');
  const withoutTemplate = path.join(dir, 'plain.gguf');
  writeTinyGguf(withTemplate, { chatTemplate: CHATML });
  writeTinyGguf(withoutTemplate);
  runtime = await LlamaRuntime.create({ gpu: 'off', threads: 1 });
  chat = await runtime.loadModel(withTemplate, { contextSize: 512 });
  plain = await runtime.loadModel(withoutTemplate, { contextSize: 512 });
});

afterAll(async () => {
  await chat?.dispose();
  await plain?.dispose();
  await runtime?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('prompt formats', () => {
  const conversation = { system: 'You write stories.', turns: [{ user: 'Begin a story about a fox.', answer: '' }] };

  it('uses the chat template when the GGUF has one, and plain completion otherwise', () => {
    expect(chat.format).toBe('chat');
    expect(plain.format).toBe('completion');
  });

  it('renders the conversation through the template (more tokens than the bare text)', () => {
    const bare = plain.countConversation(conversation);
    expect(chat.countConversation(conversation)).toBeGreaterThan(bare);
  });

  it('generates in both formats, and a follow-up turn extends the chat prompt', async () => {
    const first = await chat.generate(conversation, { maxTokens: 12, temperature: 0 });
    expect(first.generatedTokens).toBeGreaterThan(0);
    const followUp = {
      system: conversation.system,
      turns: [
        { user: 'Begin a story about a fox.', answer: first.text },
        { user: 'Summarise it.', answer: '' },
      ],
    };
    const second = await chat.generate(followUp, { maxTokens: 8, temperature: 0 });
    expect(second.promptTokens).toBeGreaterThan(first.promptTokens);
    expect(second.evaluatedTokens).toBeLessThan(second.promptTokens);
    const completion = await plain.generate(conversation, { maxTokens: 12, temperature: 0 });
    expect(completion.generatedTokens).toBeGreaterThan(0);
  });
});
