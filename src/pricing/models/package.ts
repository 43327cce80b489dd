/**
 * Package pricing: a price per block of N units.
 *
 * @module
 */
import { Exact } from "../../money/decimal.ts";
import { meterLabel, showQuantity } from "../meter.ts";
import type { PackageCharge, PricedLine } from "../types.ts";
import { type ChargeContext, pricedLine } from "./line.ts";

/**
 * The number of blocks of `size` units a quantity needs; a partial block
 * counts as a whole one (`ceil(quantity / size)`), zero usage is zero blocks.
 *
 * @example
 * ```ts
 * import { packageCount } from "./package.ts";
 * packageCount("250.5", "100"); // "3"
 * packageCount("200", "100"); // "2"
 * ```
 */
export function packageCount(quantity: string, size: string): string {
  return new Exact(quantity).div(size).round(0, 3).toFixed(); // 3 = round up (away from zero)
}

/**
 * Prices whole blocks: one line, quantity = blocks, unit price = block price.
 *
 * @example
 * ```ts
 * import { pricePackage } from "./package.ts";
 * const [line] = pricePackage({ type: "package", meter: { measure: "compute_units" },
 *   package_size: "100", package_price: "4.00" },
 *   { currency: "USD", quantity: "250.5", running_minor: 0, index: 0 });
 * line.amount_minor; // 1200 (3 blocks)
 * ```
 */
export function pricePackage(charge: PackageCharge, context: ChargeContext): PricedLine[] {
  const blocks = packageCount(context.quantity, charge.package_size);
  const label = charge.description ?? meterLabel(charge.meter);
  return [
    pricedLine(
      charge,
      context,
      `${label}, ${blocks} package${blocks === "1" ? "" : "s"} of ${
        showQuantity(charge.package_size)
      } (${showQuantity(context.quantity)} used)`,
      blocks,
      charge.package_price,
      "usage",
    ),
  ];
}
