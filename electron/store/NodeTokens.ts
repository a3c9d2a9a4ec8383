import type { TokenSurprisal } from '../contract/index.js';
import type { SqliteDatabase } from '../../native/sqlite/index.js';
import { parseJson } from './parseJson.js';
import { decodeSurprisal, encodeSurprisal } from './surprisalBlob.js';

interface TokenRow {
  count: number;
  texts: string;
  surprisal: Uint8Array;
}

/**
 * The heatmap data of nodes (table node_tokens, migration 003). Used by StoryStore inside its transactions; a
 * node without a row (never scored, or its passage edited since) has no tokens.
 */
export class NodeTokens {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  get(nodeId: number): TokenSurprisal[] {
    const row = this.#db.get<TokenRow>('SELECT count, texts, surprisal FROM node_tokens WHERE node_id = ?', [nodeId]);
    if (!row) return [];
    const texts = parseJson(row.texts);
    const values = decodeSurprisal(row.surprisal);
    // A damaged row reads as no tokens rather than as misaligned ones.
    if (!Array.isArray(texts) || texts.length !== row.count || values.length !== row.count) return [];
    return texts.map((text, i) => ({ text: typeof text === 'string' ? text : '', surprisal: values[i] ?? 0 }));
  }

  set(nodeId: number, tokens: readonly TokenSurprisal[]): void {
    this.#db.run('INSERT OR REPLACE INTO node_tokens (node_id, count, texts, surprisal) VALUES (?, ?, ?, ?)', [
      nodeId,
      tokens.length,
      JSON.stringify(tokens.map((t) => t.text)),
      encodeSurprisal(tokens.map((t) => t.surprisal)),
    ]);
  }

  delete(nodeId: number): void {
    this.#db.run('DELETE FROM node_tokens WHERE node_id = ?', [nodeId]);
  }
}
