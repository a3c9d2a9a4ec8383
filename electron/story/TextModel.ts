/**
 * What the story engine needs from a language model. The llama.cpp adapter implements it; unit tests give a
 * scripted one. Keeping it this narrow is what lets story/ stay ignorant of llama.cpp.
 */
export interface TextModel {
  readonly name: string;
  readonly contextSize: number;
  /** 'chat': rendered with the model's chat template; 'completion': a plain document for base models. */
  readonly format: 'chat' | 'completion';
  countTokens(text: string): number;
  /** Tokens of a whole rendered conversation, template included. */
  countConversation(conversation: Conversation): number;
  generate(conversation: Conversation, options: TextGenerateOptions): Promise<TextGeneration>;
  generateJson(conversation: Conversation, schema: object, options: TextGenerateOptions): Promise<JsonTextGeneration>;
}

/**
 * A prompt as a short conversation. The last turn's `answer` is the start of what the model writes; earlier
 * answers are what it wrote before, so a follow-up call extends the previous prompt and reuses its KV cache.
 */
export interface Conversation {
  system: string;
  turns: { user: string; answer: string }[];
}

export interface TextGenerateOptions {
  maxTokens: number;
  temperature?: number;
  seed?: number;
  /** DRY repetition penalty; null turns it off. */
  dry?: { strength: number; base?: number; allowedLength?: number } | null;
  stopStrings?: string[];
  onText?: (text: string) => void;
  signal?: AbortSignal;
}

export interface TextGeneration {
  text: string;
  stopReason: 'end' | 'length' | 'stop-string';
  promptTokens: number;
  evaluatedTokens: number;
  generatedTokens: number;
  milliseconds: number;
}

export interface JsonTextGeneration extends TextGeneration {
  /** The parsed value, or undefined when the text did not parse under the schema. */
  value: unknown;
  error: string | null;
}
