import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

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
/**
 * Write transactions between checkpoints. Not one: the first commit after a checkpoint starts the log over and
 * pays an extra fsync for its header, and each checkpoint syncs the database file too. 32 steps are about
 * 3 MB of log.
 */
const CHECKPOINT_EVERY = 32;
/** How long after the due write the checkpoint runs: the reply to that write goes out first. */
const CHECKPOINT_DELAY_MS = 50;

/** Distinct statements kept prepared; the store uses a few dozen, so the cap only stops a leak of dynamic SQL. */
const MAX_STATEMENTS = 500;

export class SqliteDatabase {
  readonly #db: Database.Database;
  /** Prepared statements by SQL text: preparing a long query costs more than running it on a warm cache. */
  readonly #statements = new Map<string, Database.Statement>();
  #checkpointTimer: ReturnType<typeof setTimeout> | undefined;
  #writesSinceCheckpoint = 0;
  /** The write-ahead log synced after each write transaction (null in memory); see #syncLog. */
  readonly #logFile: string | null;
  #logSync: Promise<void> | undefined;
  #logSyncAgain = false;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#logFile = db.memory ? null : `${path.resolve(db.name)}-wal`;
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

  /**
   * Runs `fn` in one transaction (BEGIN IMMEDIATE, so a writer never upgrades from a reader and deadlocks).
   * Checkpoints run later, when the event loop is free, not inside the commit (see checkpointIfDue).
   */
  transaction<T>(fn: () => T): T {
    const result = this.#db.transaction(fn).immediate();
    if (this.#db.inTransaction) return result;
    this.#syncLog();
    if (++this.#writesSinceCheckpoint >= CHECKPOINT_EVERY) this.#scheduleCheckpoint();
    return result;
  }

  /** Resolves once the log holds every transaction committed so far on disk (not just in the OS's cache). */
  async logSynced(): Promise<void> {
    while (this.#logSync) await this.#logSync;
  }

  /**
   * Copies committed pages from the write-ahead log into the database file, without waiting for readers
   * (PASSIVE), so the next writer can start the log over. Returns the pages copied. openDatabase moves SQLite's
   * own checkpoints out of commits; this is the one that runs instead, at idle time.
   */
  checkpoint(): number {
    clearTimeout(this.#checkpointTimer);
    this.#checkpointTimer = undefined;
    this.#writesSinceCheckpoint = 0;
    const [row] = this.#db.pragma('wal_checkpoint(PASSIVE)') as { checkpointed: number }[];
    return Math.max(0, row?.checkpointed ?? 0);
  }

  /**
   * The checkpoint once enough write transactions have gathered (scheduled after the one that made it due); null
   * when none is due. A caller with its own idle moments (a benchmark loop) may run it there.
   */
  checkpointIfDue(): number | null {
    if (this.#writesSinceCheckpoint < CHECKPOINT_EVERY || !this.#db.open || this.#db.inTransaction) return null;
    return this.checkpoint();
  }

  dispose(): void {
    clearTimeout(this.#checkpointTimer);
    this.#statements.clear();
    if (this.#db.open) this.#db.close();
  }

  /**
   * fsync of the log on libuv's thread pool, started right after the commit. The connection runs with
   * synchronous = NORMAL (see openDatabase): a commit is safe from a crash of the app the moment it returns, and
   * from a crash of the machine once this sync is done, a few milliseconds later. The commit does not block the
   * event loop on the disk; the engine's replies wait for `logSynced()` instead.
   */
  #syncLog(): void {
    if (this.#logFile === null) return;
    if (this.#logSync) {
      this.#logSyncAgain = true;
      return;
    }
    const file = this.#logFile;
    this.#logSync = new Promise<void>((resolve) => {
      // No log (already checkpointed away, or not in WAL mode) leaves nothing to sync.
      // r+, not r: Windows flushes only a handle open for writing.
      fs.open(file, 'r+', (openError, fd) => {
        if (openError) return resolve();
        fs.fsync(fd, () => fs.close(fd, () => resolve()));
      });
    }).then(() => {
      this.#logSync = undefined;
      if (this.#logSyncAgain) {
        this.#logSyncAgain = false;
        this.#syncLog();
      }
    });
  }

  #scheduleCheckpoint(): void {
    if (this.#checkpointTimer !== undefined) return;
    this.#checkpointTimer = setTimeout(() => {
      this.#checkpointTimer = undefined;
      try {
        this.checkpointIfDue();
      } catch {
        // Nothing is lost: the pages stay in the log, the next write schedules another try, and SQLite's own
        // checkpoint (at a larger log) still runs as a backstop.
      }
    }, CHECKPOINT_DELAY_MS);
    this.#checkpointTimer.unref?.();
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
