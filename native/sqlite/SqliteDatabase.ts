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
export class SqliteDatabase {
  readonly #db: Database.Database;

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
    return this.#db.prepare(sql).run(params);
  }

  get<T>(sql: string, params: SqlParams = []): T | undefined {
    return this.#db.prepare(sql).get(params) as T | undefined;
  }

  all<T>(sql: string, params: SqlParams = []): T[] {
    return this.#db.prepare(sql).all(params) as T[];
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
    if (this.#db.open) this.#db.close();
  }
}
