import type { EngineSettings, EngineSettingsPatch } from '../contract/index.js';
import { resolveMemorySettings } from '../memory/surprisal/MemorySettings.js';
import type { GenerationSettings } from '../story/GenerationSettings.js';

/** The settings a person can change, read out of the engine's nested generation settings. */
export function toFlatSettings(settings: GenerationSettings): EngineSettings {
  const memory = resolveMemorySettings(settings.memory);
  return {
    passageTokens: settings.passageTokens,
    temperature: settings.temperature,
    topP: settings.topP,
    topK: settings.topK,
    minP: settings.minP,
    dryStrength: settings.dryStrength,
    relatedPassages: settings.relatedPassages,
    memoryBudgetShare: memory.budgetShare,
    memoryThreshold: memory.threshold,
    decayCanon: memory.decay.canon,
    decayPlot: memory.decay.plot,
    decayChatter: memory.decay.chatter,
    decayUser: memory.decay.user,
  };
}

/** `settings` with the given flat values written in; a new object, so a step already running keeps its own. */
export function withFlatSettings(settings: GenerationSettings, patch: EngineSettingsPatch): GenerationSettings {
  const memory = resolveMemorySettings(settings.memory);
  const pick = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value);
  return {
    ...settings,
    passageTokens: pick(patch.passageTokens, settings.passageTokens),
    temperature: pick(patch.temperature, settings.temperature),
    topP: pick(patch.topP, settings.topP),
    topK: pick(patch.topK, settings.topK),
    minP: pick(patch.minP, settings.minP),
    dryStrength: pick(patch.dryStrength, settings.dryStrength),
    relatedPassages: pick(patch.relatedPassages, settings.relatedPassages),
    memory: {
      ...memory,
      budgetShare: pick(patch.memoryBudgetShare, memory.budgetShare),
      threshold: pick(patch.memoryThreshold, memory.threshold),
      decay: {
        canon: pick(patch.decayCanon, memory.decay.canon),
        plot: pick(patch.decayPlot, memory.decay.plot),
        chatter: pick(patch.decayChatter, memory.decay.chatter),
        user: pick(patch.decayUser, memory.decay.user),
      },
    },
  };
}
