/**
 * Metering: where usage events come from. Sinks, the job wrapper
 * (`instrument`) with its clocks (real or calibrated cost model) and named
 * compute-unit formulas.
 *
 * @module
 */
export * from "./sink.ts";
export * from "./formula.ts";
export * from "./cost_model.ts";
export * from "./clock.ts";
export * from "./thread_cpu.ts";
export * from "./derived_id.ts";
export * from "./instrument.ts";
export * from "./uuidv7.ts";
export * from "./auth.ts";
export * from "./core.ts";
export * from "./middleware.ts";
export * from "./event_units.ts";
export * from "./queue.ts";
export * from "./wal.ts";
export * from "./compact.ts";
export * from "./postgres_table.ts";
export * from "./postgres_sink.ts";
export * from "./postgres_source.ts";
