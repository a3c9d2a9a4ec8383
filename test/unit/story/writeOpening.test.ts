import { describe, expect, it } from 'vitest';
import { chooseNextPlan } from '../../../electron/story/chooseNextPlan.js';
import { defaultGenerationSettings } from '../../../electron/story/GenerationSettings.js';
import { writeOpening } from '../../../electron/story/writeOpening.js';
import { defaultAnswer, ScriptedModel } from '../../fixtures/ScriptedModel.js';

const settings = { ...defaultGenerationSettings, seed: 3 };

describe('writeOpening', () => {
  it('plans a title and outline, then writes the first passage with memory and plans', async () => {
    const model = new ScriptedModel();
    const opening = await writeOpening(model, { premise: 'A harbour town loses its boats.', genre: 'mystery' }, settings);
    expect(opening.title).toBe('The Harbour');
    expect(opening.outline).toBe('Mara waits for the boats.');
    expect(opening.root.instruction).toEqual({ kind: 'opening' });
    expect(opening.root.plans).toHaveLength(3);
    expect(model.requests.map((r) => r.kind)).toEqual(['json', 'text', 'json']);
    expect(model.requests[1]?.conversation.turns[0]?.user).toContain('Mara waits for the boats.');
    expect(opening.root.stats.promptTokens).toBeGreaterThan(0);
  });

  it('keeps the author title and asks only for the outline', async () => {
    const model = new ScriptedModel();
    const opening = await writeOpening(model, { premise: 'A storm.', title: 'Salt' }, settings);
    expect(opening.title).toBe('Salt');
    const schema = model.requests[0]?.schema as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(['outline']);
  });

  it('starts anyway when the model cannot plan: title from the premise, no outline', async () => {
    const model = new ScriptedModel((r) =>
      r.kind === 'json' && 'outline' in ((r.schema as { properties: object }).properties) ? { raw: '{' } : defaultAnswer(r),
    );
    const opening = await writeOpening(model, { premise: 'a girl finds a dragon egg' }, settings);
    expect(opening.title).toBe('A Girl Finds a Dragon Egg');
    expect(opening.outline).toBe('');
    expect(opening.root.passage.length).toBeGreaterThan(0);
  });
});

describe('chooseNextPlan', () => {
  const plans = [1, 2, 3].map((i) => ({ label: `L${i}`, text: `Plan ${i}` }));

  it('asks with a grammar that allows only 1, 2 or 3', async () => {
    const model = new ScriptedModel();
    const { choice } = await chooseNextPlan(model, 'memory', plans);
    expect(choice).toBe(2);
    expect(JSON.stringify(model.requests[0]?.schema)).toContain('"enum":[1,2,3]');
    expect(model.requests[0]?.conversation.turns[0]?.user).toContain('3. Plan 3');
  });

  it('falls back to the first plan on anything unusable', async () => {
    const model = new ScriptedModel(() => ({ raw: 'maybe' }));
    expect((await chooseNextPlan(model, 'memory', plans)).choice).toBe(1);
  });
});
