import { LongtaleError, type StoryFromText, type StoryView } from '../contract/index.js';
import type { NewNodeRecord } from '../store/NewNodeRecord.js';
import type { Store } from '../store/openStore.js';
import { ZERO_STATS } from '../store/parseNodeState.js';
import { planBudgets } from '../story/budgets.js';
import type { SettingsFor } from '../story/GenerationSettings.js';
import { sentencesOf, splitManuscript } from '../story/splitManuscript.js';
import type { TextModel } from '../story/TextModel.js';
import { titleFromPremise } from '../story/titleFromPremise.js';
import { withFlatSettings } from './flatSettings.js';
import type { CallContext } from './StoryService.js';

/** More passages than a story can be read in at once; far beyond a novel at the smallest passage length. */
const MAX_PASSAGES = 10_000;
/** The premise taken from the text when none is given: its first sentences, up to this many characters. */
const PREMISE_CHARACTERS = 300;
/** What an imported passage was "written from": the author simply went on. */
const CONTINUE = 'Continue the story.';

export interface TextImportParts {
  store: Store;
  model: (call: CallContext) => Promise<TextModel>;
  settings: SettingsFor;
  /** Reads the path from `nodeId` on, building each passage's state (StoryService.recompute). */
  recompute: (storyId: number, nodeId: number, call: CallContext) => Promise<StoryView>;
}

/**
 * A story from the author's own text, to continue with the model: the text is cut into passages the context can
 * hold (splitManuscript), stored as one branch with every passage stale, then read in order by the same recompute
 * that follows an edit, which builds each passage's memory, summary, plans and heatmap from the one before.
 */
export class TextImport {
  readonly #parts: TextImportParts;

  constructor(parts: TextImportParts) {
    this.#parts = parts;
  }

  async create(request: StoryFromText, call: CallContext): Promise<StoryView> {
    const { store } = this.#parts;
    const model = await this.#parts.model(call);
    const settings = request.settings ? withFlatSettings(this.#parts.settings(), request.settings) : this.#parts.settings();
    const { passageTokens } = planBudgets(model, settings);
    const { title, passages } = splitManuscript(request.text, passageTokens, (text) => model.countTokens(text));
    const [first, ...rest] = passages;
    if (first === undefined) throw new LongtaleError('INVALID_INPUT', 'The text has no prose to make passages of, only headings.');
    if (passages.length > MAX_PASSAGES) {
      throw new LongtaleError('INVALID_INPUT', `The text makes ${passages.length.toLocaleString('en')} passages; a story read in at once holds ${MAX_PASSAGES.toLocaleString('en')}.`);
    }
    const premise = request.premise ?? openingOf(first);
    const created = store.db.transaction(() => {
      const view = store.stories.create({
        title: request.title ?? title ?? titleFromPremise(premise),
        premise,
        genre: request.genre,
        style: request.style,
        settings: request.settings,
        root: record(first, { kind: 'opening' }),
      });
      let parentId = view.currentNodeId;
      for (const passage of rest) parentId = store.stories.addNode(view.story.id, parentId, record(passage, { kind: 'plan', text: CONTINUE }), { window: 1 }).currentNodeId;
      // Not read yet: a stop part-way leaves the rest marked, for "recompute" to finish.
      for (const nodeId of store.stories.pathIds(parentId)) store.stories.updateState(view.story.id, nodeId, { stale: true });
      return view;
    });
    try {
      return await this.#parts.recompute(created.story.id, created.currentNodeId, call);
    } catch (error) {
      // The story is the author's text: stopping the reading keeps it, with what was read.
      if (error instanceof LongtaleError && error.code === 'CANCELLED') return store.stories.open(created.story.id, undefined, 1);
      throw error;
    }
  }
}

/** A passage with no state yet. */
function record(passage: string, instruction: NewNodeRecord['instruction']): NewNodeRecord {
  return { passage, summary: '', instruction, shortMemory: '', plans: [], keyMemory: [], stats: ZERO_STATS };
}

/** The text's first sentences, whole, up to PREMISE_CHARACTERS (or its first words when one sentence is longer). */
function openingOf(passage: string): string {
  let premise = '';
  for (const sentence of sentencesOf(passage.replace(/\s+/gu, ' '))) {
    if (premise !== '' && (premise + sentence).length > PREMISE_CHARACTERS) break;
    premise += sentence;
  }
  return premise.length > PREMISE_CHARACTERS ? `${premise.slice(0, PREMISE_CHARACTERS).replace(/\s+\S*$/u, '')}…` : premise.trim();
}
