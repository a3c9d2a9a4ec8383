import type { SqliteDatabase } from '../../native/sqlite/index.js';

/**
 * How many passages each search word occurs in, to leave out the words that cannot change a ranking. FTS5's
 * bm25 gives a word found in at least half the passages an IDF of 1e-6 (log((N − n + 0.5) / (n + 0.5)) ≤ 0 is
 * clamped), so it adds nothing a ranking could show; yet matching it means scoring nearly every passage of a long
 * story. Words are counted as the index sees them: each goes through the same tokenizer (a temporary FTS5 table)
 * and its stems are looked up in the index's vocabulary.
 */
export class TermFrequencies {
  readonly #db: SqliteDatabase;
  #ready = false;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  /** The words that occur in fewer than half of all passages (order kept); a word the index lacks is kept too. */
  informative(terms: readonly string[]): string[] {
    if (terms.length === 0) return [];
    this.#prepare();
    this.#db.run('DELETE FROM temp.query_words');
    this.#db.run('INSERT INTO temp.query_words (rowid, word) SELECT key, value FROM json_each(?)', [JSON.stringify(terms)]);
    // A word of several tokens is a phrase: it occurs in no more passages than its rarest token.
    const counts = this.#db.all<{ word: number; passages: number }>(
      `SELECT s.doc AS word, min(coalesce(t.doc, 0)) AS passages
       FROM temp.query_stems s LEFT JOIN temp.passage_terms t ON t.term = s.term GROUP BY s.doc`,
    );
    const total = this.#db.get<{ n: number }>('SELECT count(*) AS n FROM nodes')?.n ?? 0;
    const common = new Set(counts.filter((c) => 2 * c.passages >= total).map((c) => c.word));
    return terms.filter((_, i) => !common.has(i));
  }

  /** Temporary tables live with the connection, so they are made on first use (and never touch the file). */
  #prepare(): void {
    if (this.#ready) return;
    this.#db.exec(`
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.passage_terms USING fts5vocab(main, nodes_fts, row);
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_words USING fts5(word, tokenize = 'porter unicode61');
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_stems USING fts5vocab(temp, query_words, instance);`);
    this.#ready = true;
  }
}
