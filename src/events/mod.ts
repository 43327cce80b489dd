/**
 * Usage events: the schema every module shares, and its validation rules.
 *
 * @module
 */
export * from "./event.ts";
