/**
 * The completion prompt for a story's first passage, for base models: a short frame the model continues.
 * (Chat-templated prompts for instruct models arrive with the full RecurrentGPT loop.)
 */
export function openingPrompt(premise: string, title: string): string {
  return `${title}\n\nPremise: ${premise.trim()}\n\nChapter 1\n\n`;
}
