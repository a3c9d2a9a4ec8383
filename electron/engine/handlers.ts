import type { MethodName, ParsedParams, Result } from '../contract/index.js';
import type { CallContext, Engine } from './Engine.js';
import { windowed } from './windowView.js';

export type Handler<M extends MethodName> = (
  engine: Engine,
  params: ParsedParams<M>,
  call: CallContext,
) => Promise<Result<M>> | Result<M>;

/** One handler per method of the contract; the type makes a missing one a compile error. */
export const handlers: { [M in MethodName]: Handler<M> } = {
  'engine.status': (engine) => engine.status(),
  'model.open': (engine, { path }, call) => engine.openModel(path, call.signal),
  'models.list': (engine) => engine.models.list(),
  'models.download': (engine, request, call) => engine.models.download(request, call),
  'stories.list': (engine) => engine.stories.list(),
  'stories.create': (engine, params, call) => engine.stories.create(params, call),
  'stories.open': (engine, { storyId, nodeId, window }) => engine.stories.open(storyId, nodeId, window),
  'stories.rename': (engine, { storyId, title, window }) => engine.stories.rename(storyId, title, window),
  'stories.step': (engine, { storyId, fromNodeId, input, window }, call) =>
    engine.stories.step(storyId, fromNodeId, input, call, window),
  'stories.retry': (engine, { storyId, nodeId, window }, call) => engine.stories.retry(storyId, nodeId, call, window),
  'nodes.alternatives': async (engine, { storyId, nodeId, offset }, call) => ({
    nodeId,
    offset,
    candidates: await engine.stories.alternatives(storyId, nodeId, offset, call),
  }),
  'nodes.rewriteFrom': (engine, { storyId, nodeId, offset, text, window }, call) =>
    engine.stories.rewriteFrom(storyId, nodeId, offset, text, call, window),
  'stories.undo': (engine, { storyId, window }) => engine.stories.undo(storyId, window),
  'stories.redo': (engine, { storyId, window }) => engine.stories.redo(storyId, window),
  'stories.checkout': (engine, { storyId, nodeId, window }) => engine.stories.checkout(storyId, nodeId, window),
  'stories.path': (engine, { storyId, nodeId, start, end }) => engine.stories.pathRange(storyId, nodeId, start, end),
  'stories.tree': (engine, { storyId }) => engine.stories.tree(storyId),
  'stories.auto': (engine, { storyId, target, window }, call) => engine.stories.auto(storyId, target, call, window),
  'stories.pause': (engine, { storyId }) => engine.stories.pause(storyId),
  'nodes.editPassage': (engine, { storyId, nodeId, passage, window }) => engine.stories.editPassage(storyId, nodeId, passage, window),
  'nodes.editMemory': (engine, { storyId, nodeId, shortMemory, plans, window }) =>
    engine.stories.editMemory(storyId, nodeId, { shortMemory, plans }, window),
  'nodes.recompute': (engine, { storyId, nodeId, window }, call) => windowed(window, engine.stories.recompute(storyId, nodeId, call)),
  'nodes.tokens': (engine, { storyId, nodeId }) => engine.stories.memory.tokens(storyId, nodeId),
  'memory.add': (engine, { storyId, nodeId, text, kind, pinned, window }, call) =>
    windowed(window, engine.stories.memory.add(storyId, nodeId, { text, kind, pinned }, call.signal)),
  'memory.edit': (engine, { storyId, nodeId, entryId, text, kind, pinned, window }, call) =>
    windowed(window, engine.stories.memory.edit(storyId, nodeId, entryId, { text, kind, pinned }, call.signal)),
  'memory.forget': (engine, { storyId, nodeId, entryId, window }) => windowed(window, engine.stories.memory.forget(storyId, nodeId, entryId)),
  'model.score': (engine, { text, context }, call) => engine.stories.scoreText(text, context, call),
  'stories.delete': (engine, { storyId }) => engine.library.delete(storyId),
  'stories.trash': (engine) => engine.library.trash(),
  'stories.restore': (engine, { storyId }) => engine.library.restore(storyId),
  'stories.purge': (engine, { storyId }) => engine.library.purge(storyId),
  'stories.duplicate': (engine, { storyId }) => engine.library.duplicate(storyId),
  'nodes.delete': (engine, { storyId, nodeId, window }) => windowed(window, engine.library.deleteBranch(storyId, nodeId)),
  'stories.export': async (engine, { storyId, format }) => {
    const file = await engine.archives.export(storyId, format);
    return { fileName: file.fileName, mediaType: file.mediaType, base64: file.data.toString('base64') };
  },
  'stories.import': (engine, { text }) => engine.archives.import(text),
  'stories.fromText': (engine, params, call) => engine.stories.texts.create(params, call),
  'facts.list': (engine, { storyId }) => engine.stories.facts.list(storyId),
  'facts.add': (engine, { storyId, text, fromNodeId }) => engine.stories.facts.add(storyId, text, fromNodeId),
  'facts.edit': (engine, { storyId, factId, text }) => engine.stories.facts.edit(storyId, factId, text),
  'facts.remove': (engine, { storyId, factId }) => engine.stories.facts.remove(storyId, factId),
  'stories.checkContinuity': (engine, { storyId, ...request }, call) => engine.stories.continuity.check(storyId, request, call),
  'checks.list': (engine, { storyId }) => engine.stories.continuity.saved(storyId),
  'checks.save': (engine, { storyId, question, answer }) => engine.stories.continuity.save(storyId, question, answer),
  'checks.forget': (engine, { storyId, checkId }) => engine.stories.continuity.forget(storyId, checkId),
  'checks.run': (engine, { storyId, nodeId }, call) => engine.stories.continuity.checkSaved(storyId, nodeId, call),
  'facts.suggest': (engine, { storyId, nodeId }) => engine.stories.facts.suggest(storyId, nodeId),
  'prompt.preview': (engine, { storyId, fromNodeId, input }, call) => engine.stories.preview(storyId, fromNodeId, input, call),
  'prompt.writtenFrom': (engine, { storyId, nodeId }, call) => engine.stories.writtenFrom(storyId, nodeId, call),
  'settings.get': (engine) => engine.settings.view(),
  'settings.update': (engine, patch) => engine.settings.update(patch),
  'settings.reset': (engine) => engine.settings.reset(),
  'stories.settings': (engine, { storyId }) => engine.settings.ofStory(storyId),
  'stories.setSettings': (engine, { storyId, own }) => engine.settings.setStory(storyId, own),
  'settings.setAvoid': (engine, { phrases }) => engine.settings.setAvoid(phrases),
  'stories.setAvoid': (engine, { storyId, phrases }) => engine.settings.setStoryAvoid(storyId, phrases),
};
