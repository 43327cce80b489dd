/**
 * Usage events: the schema every module shares, its validation rules, and
 * local calendar months as ranges of UTC instants.
 *
 * @module
 */
export * from "./date.ts";
export * from "./event.ts";
export * from "./month.ts";
export * from "./month_range.ts";
