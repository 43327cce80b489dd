/**
 * Local calendar months in IANA time zones: see src/events/month_range.ts.
 *
 * @module
 */
export { localMonthRange, localMonthStart } from "../events/month_range.ts";
