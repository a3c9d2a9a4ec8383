import type { SettingKey } from '../../../../electron/contract/index.js';

export interface SettingField {
  key: SettingKey;
  label: string;
  hint: string;
}

/** The generation settings in the order and words of the settings page. */
export const settingGroups: { id: string; title: string; fields: SettingField[] }[] = [
  {
    id: 'writing',
    title: 'Writing',
    fields: [
      { key: 'passageTokens', label: 'Passage length (tokens)', hint: 'Longest passage; a small model may allow less. About ¾ of a word per token.' },
      { key: 'temperature', label: 'Temperature', hint: 'Higher is more surprising, lower more predictable.' },
      { key: 'topP', label: 'Top-p', hint: 'Keep the likeliest words up to this total probability; 1 turns it off.' },
      { key: 'topK', label: 'Top-k', hint: 'Keep only this many likeliest words; 0 turns it off.' },
      { key: 'minP', label: 'Min-p', hint: 'Drop words less likely than this share of the likeliest; 0 turns it off.' },
      { key: 'dryStrength', label: 'Repetition penalty (DRY)', hint: 'Discourages repeating phrases word for word; 0 turns it off.' },
    ],
  },
  {
    id: 'memory',
    title: 'Memory',
    fields: [
      { key: 'relatedPassages', label: 'Earlier passages recalled', hint: 'How many related earlier passages the model rereads each step.' },
      { key: 'memoryBudgetShare', label: 'Memory share of the context', hint: 'How much of what the model reads may be details to remember (0.1 is a tenth).' },
      { key: 'memoryThreshold', label: 'Forgetting threshold (τ)', hint: 'A detail whose score falls below this is forgotten.' },
      { key: 'decayCanon', label: 'Fading of world facts', hint: 'Kept per step by facts of the world; 1 never fades.' },
      { key: 'decayPlot', label: 'Fading of plot details', hint: 'Kept per step by plot details.' },
      { key: 'decayChatter', label: 'Fading of chatter', hint: 'Kept per step by passing remarks and dialogue.' },
      { key: 'decayUser', label: 'Fading of your own notes', hint: 'Kept per step by details you added (pinned ones never fade).' },
    ],
  },
];

/** A field's label as it reads inside a sentence: "Use the app's passage length (tokens)". */
export function settingLabel(key: SettingKey): string {
  const label = settingGroups.flatMap((group) => group.fields).find((field) => field.key === key)?.label ?? key;
  return label.charAt(0).toLowerCase() + label.slice(1);
}
