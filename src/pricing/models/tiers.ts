/**
 * Graduated and volume tiers, with Stripe's meaning:
 * - graduated: each tier prices the units inside it (the first 1,000 at one
 *   price, the next at another, ...);
 * - volume: the tier the total reaches prices every unit.
 *
 * A tier covers the units above the previous tier's `up_to` up to and
 * including its own `up_to`. A tier's optional `flat_amount` is charged once
 * when usage enters the tier; zero usage enters no tier and costs nothing.
 *
 * @module
 */
import { Exact, type ExactDecimal } from "../../money/decimal.ts";
import { meterLabel, showQuantity } from "../meter.ts";
import type { GraduatedCharge, PricedLine, Tier, VolumeCharge } from "../types.ts";
import { type ChargeContext, pricedLine } from "./line.ts";

/** The units of one tier that a graduated charge prices. */
export interface TierUsage {
  /** 0-based tier index. */
  tier: number;
  /** The previous tier's `up_to` (exclusive lower bound), "0" for the first. */
  from: string;
  /** The tier's `up_to`, or "inf". */
  up_to: string;
  /** Units that fall in the tier (exact decimal text). */
  units: string;
  unit_price: string;
  flat_amount?: string;
  /** `units x unit_price + flat_amount`, exact (not rounded), in major units. */
  amount: string;
}

/**
 * Splits a quantity over graduated tiers: the tiers it enters, with the
 * units in each and their exact amount. The sum of `amount` is the graduated
 * price before rounding.
 *
 * @example
 * ```ts
 * import { graduatedTierUsage } from "./tiers.ts";
 * const parts = graduatedTierUsage("1500", [
 *   { up_to: "1000", unit_price: "0.10" },
 *   { up_to: "inf", unit_price: "0.05", flat_amount: "20" },
 * ]);
 * parts.map((p) => p.amount); // ["100", "45"]
 * ```
 */
export function graduatedTierUsage(
  quantity: string | ExactDecimal,
  tiers: readonly Tier[],
): TierUsage[] {
  const q = new Exact(quantity);
  const out: TierUsage[] = [];
  let from = new Exact(0);
  for (let i = 0; i < tiers.length; i++) {
    const tier = tiers[i];
    if (q.lte(from)) break;
    const top = tier.up_to === "inf" ? q : new Exact(tier.up_to);
    const units = (q.lt(top) ? q : top).minus(from);
    let amount = units.times(tier.unit_price);
    if (tier.flat_amount !== undefined) amount = amount.plus(tier.flat_amount);
    const part: TierUsage = {
      tier: i,
      from: from.toFixed(),
      up_to: tier.up_to,
      units: units.toFixed(),
      unit_price: tier.unit_price,
      amount: amount.toFixed(),
    };
    if (tier.flat_amount !== undefined) part.flat_amount = tier.flat_amount;
    out.push(part);
    if (tier.up_to === "inf") break;
    from = top;
  }
  return out;
}

/**
 * The tier a volume charge uses for a quantity: the first whose `up_to` is
 * at or above it (0-based index).
 *
 * @example
 * ```ts
 * import { volumeTierIndex } from "./tiers.ts";
 * const tiers = [{ up_to: "1000", unit_price: "0.10" }, { up_to: "inf", unit_price: "0.05" }];
 * volumeTierIndex("1000", tiers); // 0
 * volumeTierIndex("1000.5", tiers); // 1
 * ```
 */
export function volumeTierIndex(quantity: string | ExactDecimal, tiers: readonly Tier[]): number {
  const q = new Exact(quantity);
  const index = tiers.findIndex((tier) => tier.up_to === "inf" || q.lte(tier.up_to));
  return index < 0 ? tiers.length - 1 : index;
}

function tierRange(from: string, upTo: string, index: number): string {
  if (upTo === "inf") return index === 0 ? "all units" : `over ${showQuantity(from)}`;
  if (index === 0) return `first ${showQuantity(upTo)}`;
  return `${showQuantity(from)} to ${showQuantity(upTo)}`;
}

/**
 * Prices graduated tiers: one line per tier entered (units in it x its
 * price), plus one line per entered tier's flat amount; each rounded once.
 * Zero usage gives a single zero line for the first tier.
 *
 * @example
 * ```ts
 * import { priceGraduated } from "./tiers.ts";
 * const lines = priceGraduated({ type: "graduated", meter: { measure: "compute_units" },
 *   tiers: [{ up_to: "1000", unit_price: "0.10" }, { up_to: "inf", unit_price: "0.05" }] },
 *   { currency: "USD", quantity: "1500", running_minor: 0, index: 0 });
 * lines.map((l) => l.amount_minor); // [10000, 2500]
 * ```
 */
export function priceGraduated(charge: GraduatedCharge, context: ChargeContext): PricedLine[] {
  const label = charge.description ?? meterLabel(charge.meter);
  const parts = graduatedTierUsage(context.quantity, charge.tiers);
  if (parts.length === 0) {
    const first = charge.tiers[0];
    return [
      pricedLine(
        charge,
        context,
        `${label}, tier 1 (${tierRange("0", first.up_to, 0)})`,
        "0",
        first.unit_price,
        "usage",
      ),
    ];
  }
  const lines: PricedLine[] = [];
  for (const part of parts) {
    const name = `${label}, tier ${part.tier + 1} (${tierRange(part.from, part.up_to, part.tier)})`;
    lines.push(pricedLine(charge, context, name, part.units, part.unit_price, "usage"));
    if (part.flat_amount !== undefined) {
      lines.push(
        pricedLine(charge, context, `${name}, flat fee`, "1", part.flat_amount, "usage"),
      );
    }
  }
  return lines;
}

/**
 * Prices volume tiers: every unit at the price of the tier the total
 * reaches (one line), plus that tier's flat amount when usage is above zero.
 *
 * @example
 * ```ts
 * import { priceVolume } from "./tiers.ts";
 * const lines = priceVolume({ type: "volume", meter: { measure: "compute_units" },
 *   tiers: [{ up_to: "1000", unit_price: "0.10" }, { up_to: "inf", unit_price: "0.05" }] },
 *   { currency: "USD", quantity: "1500", running_minor: 0, index: 0 });
 * lines.map((l) => l.amount_minor); // [7500]
 * ```
 */
export function priceVolume(charge: VolumeCharge, context: ChargeContext): PricedLine[] {
  const label = charge.description ?? meterLabel(charge.meter);
  const index = volumeTierIndex(context.quantity, charge.tiers);
  const tier = charge.tiers[index];
  const from = index === 0 ? "0" : charge.tiers[index - 1].up_to;
  const name = `${label}, tier ${index + 1} (${tierRange(from, tier.up_to, index)}), every unit`;
  const lines = [pricedLine(charge, context, name, context.quantity, tier.unit_price, "usage")];
  if (tier.flat_amount !== undefined && new Exact(context.quantity).gt(0)) {
    lines.push(pricedLine(charge, context, `${name}, flat fee`, "1", tier.flat_amount, "usage"));
  }
  return lines;
}
