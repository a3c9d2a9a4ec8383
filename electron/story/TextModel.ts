/**
 * What the story engine needs from a language model. The llama.cpp adapter implements it; unit tests give a
 * scripted one. Keeping it this narrow is what lets story/ stay ignorant of llama.cpp.
 */
export interface TextModel {
  readonly name: string;
  readonly contextSize: number;
  countTokens(text: string): number;
  generate(prompt: string, options: TextGenerateOptions): Promise<TextGeneration>;
}

export interface TextGenerateOptions {
  maxTokens: number;
  temperature?: number;
  seed?: number;
  stopStrings?: string[];
  onText?: (text: string) => void;
  signal?: AbortSignal;
}

export interface TextGeneration {
  text: string;
  stopReason: 'end' | 'length' | 'stop-string';
  evaluatedTokens: number;
  generatedTokens: number;
}
