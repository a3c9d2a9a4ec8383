import type { MethodName, ParsedParams, Result } from '../contract/index.js';
import type { CallContext, Engine } from './Engine.js';

export type Handler<M extends MethodName> = (
  engine: Engine,
  params: ParsedParams<M>,
  call: CallContext,
) => Promise<Result<M>> | Result<M>;

/** One handler per method of the contract; the type makes a missing one a compile error. */
export const handlers: { [M in MethodName]: Handler<M> } = {
  'engine.status': (engine) => engine.status(),
  'model.open': (engine, { path }, call) => engine.openModel(path, call.signal),
  'stories.list': (engine) => engine.listStories(),
  'stories.create': (engine, params, call) => engine.createStory(params, call),
  'stories.open': (engine, { storyId }) => engine.openStory(storyId),
};
