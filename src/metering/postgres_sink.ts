/**
 * The PostgreSQL store for the metering queue (the seed's production setup:
 * TimescaleDB is PostgreSQL): batch inserts with the `postgres` package,
 * `ON CONFLICT (id) DO NOTHING`, the table created if missing.
 *
 * @module
 */
import postgres from "postgres";
import type { UsageEvent } from "../events/mod.ts";
import type { BatchStore } from "./queue.ts";
import {
  checkTableName,
  createTableSql,
  DEFAULT_PG_TABLE,
  eventToRow,
  PG_COLUMNS,
  redactUrl,
} from "./postgres_table.ts";

/** Options of {@linkcode PostgresStore}. */
export interface PostgresStoreOptions {
  /** The table (default `usage_events`), created if missing. */
  table?: string;
  /** Rows per INSERT statement (default 2,000; PostgreSQL allows 65,535 parameters). */
  rowsPerInsert?: number;
  /** Seconds to wait for a connection (default 5). */
  connectTimeout?: number;
  /** Connections in the pool (default 2). */
  maxConnections?: number;
}

/**
 * A {@linkcode BatchStore} inserting batches into PostgreSQL in one
 * transaction; re-inserting an id is a no-op, so retried batches never
 * duplicate. Put it behind a {@linkcode QueueSink} for batching, retries and
 * backpressure.
 *
 * @example
 * ```ts
 * import { PostgresStore } from "./postgres_sink.ts";
 * import { QueueSink } from "./queue.ts";
 * const queue = new QueueSink(new PostgresStore("postgres://meterbook:meterbook@127.0.0.1:55432/meterbook"));
 * ```
 */
export class PostgresStore implements BatchStore {
  readonly name: string;
  readonly table: string;
  readonly #sql: postgres.Sql;
  readonly #rowsPerInsert: number;
  #ready: Promise<void> | null = null;

  constructor(url: string, options: PostgresStoreOptions = {}) {
    this.table = checkTableName(options.table ?? DEFAULT_PG_TABLE);
    this.name = `postgres ${redactUrl(url)} ${this.table}`;
    this.#rowsPerInsert = options.rowsPerInsert ?? 2000;
    this.#sql = postgres(url, {
      max: options.maxConnections ?? 2,
      connect_timeout: options.connectTimeout ?? 5,
      onnotice: () => {},
    });
  }

  /** Creates the table if it is missing (once; again after a failure). */
  ensureTable(): Promise<void> {
    this.#ready ??= this.#sql.unsafe(createTableSql(this.table)).then(() => {}, (error) => {
      this.#ready = null;
      throw error;
    });
    return this.#ready;
  }

  /** Inserts the events in one transaction, skipping ids already stored. */
  async writeBatch(events: UsageEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.ensureTable();
    const rows = events.map(eventToRow);
    await this.#sql.begin(async (tx) => {
      for (let i = 0; i < rows.length; i += this.#rowsPerInsert) {
        const chunk = rows.slice(i, i + this.#rowsPerInsert);
        await tx`INSERT INTO ${tx(this.table)} ${
          tx(chunk, ...PG_COLUMNS)
        } ON CONFLICT (id) DO NOTHING`;
      }
    });
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    await this.#sql.end({ timeout: 5 });
  }
}
