import Database from 'better-sqlite3';

export type SqlValue = string | number | bigint | Buffer | null;
export type SqlParams = SqlValue[] | Record<string, SqlValue>;

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/**
 * The narrow database surface the store uses. It wraps better-sqlite3 so that nothing outside `native/sqlite`
 * depends on the driver, and so that tests could substitute another implementation.
 */
/** Distinct statements kept prepared; the store uses a few dozen, so the cap only stops a leak of dynamic SQL. */
const MAX_STATEMENTS = 500;

export class SqliteDatabase {
  readonly #db: Database.Database;
  /** Prepared statements by SQL text: preparing a long query costs more than running it on a warm cache. */
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  get path(): string {
    return this.#db.name;
  }

  get isOpen(): boolean {
    return this.#db.open;
  }

  exec(sql: string): void {
    this.#db.exec(sql);
  }

  run(sql: string, params: SqlParams = []): RunResult {
    return this.#prepare(sql).run(params);
  }

  get<T>(sql: string, params: SqlParams = []): T | undefined {
    return this.#prepare(sql).get(params) as T | undefined;
  }

  all<T>(sql: string, params: SqlParams = []): T[] {
    return this.#prepare(sql).all(params) as T[];
  }

  /**
   * Rows one at a time, for a caller that may stop early (leaving the loop resets the statement). The statement
   * is prepared apart from the cache, so the same SQL may run while the loop is still open.
   */
  *iterate<T>(sql: string, params: SqlParams = []): Generator<T> {
    yield* this.#db.prepare(sql).iterate(params) as IterableIterator<T>;
  }

  /** Loads a SQLite extension (a shared library) into this connection; see loadVectorExtension. */
  loadExtension(file: string): void {
    this.#db.loadExtension(file);
  }

  pragma<T = unknown>(source: string): T {
    return this.#db.pragma(source, { simple: true }) as T;
  }

  /** Runs `fn` in one transaction (BEGIN IMMEDIATE, so a writer never upgrades from a reader and deadlocks). */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn).immediate();
  }

  dispose(): void {
    this.#statements.clear();
    if (this.#db.open) this.#db.close();
  }

  #prepare(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      if (this.#statements.size >= MAX_STATEMENTS) this.#statements.clear();
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
