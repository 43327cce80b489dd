/**
 * Property tests over seeded random plans and usage (seedrandom, fixed seeds:
 * the same cases on every run).
 */
import assert from "node:assert/strict";
import seedrandom from "seedrandom";
import { Exact } from "../money/decimal.ts";
import { toMinorUnits } from "../money/money.ts";
import { definePlan, graduatedTierUsage, priceUsage, type Tier } from "./mod.ts";

type Rng = () => number;

const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

/** A decimal with up to `places` decimals in [0, max], as text (built from integers: exact). */
function dec(rng: Rng, max: number, places: number): string {
  const scale = 10 ** places;
  return new Exact(int(rng, 0, max * scale)).div(scale).toFixed();
}

function randomTiers(rng: Rng): Tier[] {
  const n = int(rng, 1, 5);
  const tiers: Tier[] = [];
  let top = new Exact(0);
  for (let i = 0; i < n; i++) {
    const last = i === n - 1;
    top = top.plus(new Exact(dec(rng, 500, 2)).plus("0.01"));
    const tier: Tier = { up_to: last ? "inf" : top.toFixed(), unit_price: dec(rng, 2, 4) };
    if (rng() < 0.3) tier.flat_amount = dec(rng, 50, 2);
    tiers.push(tier);
  }
  return tiers;
}

/** The graduated price computed another way: for each tier, the part of [0, q] inside (lo, hi]. */
function graduatedByOverlap(q: string, tiers: Tier[]): string {
  let total = new Exact(0);
  let lo = new Exact(0);
  for (const tier of tiers) {
    const qq = new Exact(q);
    if (qq.gt(lo)) {
      const hi = tier.up_to === "inf" ? qq : new Exact(tier.up_to);
      const inside = (qq.lt(hi) ? qq : hi).minus(lo);
      total = total.plus(inside.times(tier.unit_price));
      if (tier.flat_amount) total = total.plus(tier.flat_amount);
    }
    if (tier.up_to !== "inf") lo = new Exact(tier.up_to);
  }
  return total.toFixed();
}

Deno.test("property: the graduated amount equals the sum of per-tier amounts", () => {
  const rng = seedrandom("graduated-1");
  for (let i = 0; i < 400; i++) {
    const tiers = randomTiers(rng);
    const q = dec(rng, 2500, int(rng, 0, 6));
    const parts = graduatedTierUsage(q, tiers);
    const sum = parts.reduce((s, p) => s.plus(p.amount), new Exact(0));
    assert.equal(
      sum.toFixed(),
      graduatedByOverlap(q, tiers),
      `q=${q} tiers=${JSON.stringify(tiers)}`,
    );
    // the units over the tiers add up to the quantity
    assert.equal(
      parts.reduce((s, p) => s.plus(p.units), new Exact(0)).toFixed(),
      new Exact(q).toFixed(),
    );
  }
});

Deno.test("property: graduated over whole units equals pricing each unit at its own tier", () => {
  const rng = seedrandom("graduated-2");
  for (let i = 0; i < 200; i++) {
    const tiers = randomTiers(rng).map((t) => ({
      ...t,
      up_to: t.up_to === "inf" ? "inf" : new Exact(t.up_to).round(0, 3).toFixed(),
    }));
    // keep up_to increasing after rounding up to whole units
    if (
      tiers.some((t, k) =>
        k > 0 && tiers[k - 1].up_to !== "inf" && t.up_to !== "inf" &&
        new Exact(t.up_to).lte(tiers[k - 1].up_to)
      )
    ) continue;
    const q = int(rng, 0, 600);
    let byUnit = new Exact(0);
    const entered = new Set<number>();
    for (let unit = 1; unit <= q; unit++) {
      const k = tiers.findIndex((t) => t.up_to === "inf" || new Exact(unit).lte(t.up_to));
      byUnit = byUnit.plus(tiers[k].unit_price);
      if (!entered.has(k) && tiers[k].flat_amount) byUnit = byUnit.plus(tiers[k].flat_amount!);
      entered.add(k);
    }
    const parts = graduatedTierUsage(String(q), tiers);
    assert.equal(
      parts.reduce((s, p) => s.plus(p.amount), new Exact(0)).toFixed(),
      byUnit.toFixed(),
    );
  }
});

const METERS = [
  { measure: "compute_units" },
  { measure: "compute_units", event_type: "enkf_run" },
  { measure: "events", event_type: "enkf_run" },
  { measure: "events" },
];

function randomCharge(rng: Rng, currency: string): Record<string, unknown> {
  const meter = METERS[int(rng, 0, METERS.length - 1)];
  const places = currency === "JPY" ? 0 : 2;
  switch (int(rng, 0, 7)) {
    case 0:
      return { type: "flat", amount: dec(rng, 3000, places) };
    case 1:
      return { type: "per_unit", meter, unit_price: dec(rng, 1, 5) };
    case 2:
      return { type: "included", meter, included: dec(rng, 500, 1), unit_price: dec(rng, 1, 4) };
    case 3:
      return {
        type: "graduated",
        meter,
        tiers: randomTiers(rng).map((t) => ({ ...t, flat_amount: undefined })),
      };
    case 4:
      return {
        type: "volume",
        meter,
        tiers: randomTiers(rng).map((t) => ({ ...t, flat_amount: undefined })),
      };
    case 5:
      return {
        type: "package",
        meter,
        package_size: dec(rng, 100, 1) || "1",
        package_price: dec(rng, 20, 2),
      };
    case 6:
      return { type: "minimum", amount: dec(rng, 2000, places) };
    default:
      return rng() < 0.5
        ? { type: "discount", percent: dec(rng, 100, 1) }
        : { type: "discount", amount: dec(rng, 3000, places) };
  }
}

Deno.test("property: invoices always add up, each line rounded once, never below zero", () => {
  const rng = seedrandom("invoices-1");
  for (let i = 0; i < 300; i++) {
    const currency = rng() < 0.2 ? "JPY" : "USD";
    const charges = Array.from({ length: int(rng, 1, 5) }, () => randomCharge(rng, currency))
      .map((c) => JSON.parse(JSON.stringify(c)));
    for (const c of charges) if (c.package_size === "0") c.package_size = "1";
    // Valid plans list minimums and discounts after the charges they act on.
    const isAdjustment = (c: { type: string }) => c.type === "minimum" || c.type === "discount";
    charges.sort((a, b) => Number(isAdjustment(a)) - Number(isAdjustment(b)));
    const plan = definePlan(`p${i}`, { currency, charges });
    const rows = ["api_call", "enkf_run", "report_gen"].map((event_type) => ({
      month: "2026-10",
      tenant_id: "t1",
      event_type,
      events: int(rng, 0, 5000),
      compute_units: dec(rng, 3000, 6),
    }));
    const priced = priceUsage(plan, rows);
    const context = `plan=${JSON.stringify(charges)} usage=${JSON.stringify(rows)}`;
    let sum = 0;
    let subtotal = 0;
    for (const line of priced.lines) {
      assert.ok(Number.isSafeInteger(line.amount_minor), context);
      const exact = new Exact(line.quantity).times(line.unit_price);
      assert.equal(
        line.amount_minor,
        toMinorUnits(exact, currency),
        `line ${line.description}: ${context}`,
      );
      sum += line.amount_minor;
      if (line.charge_type !== "discount") subtotal += line.amount_minor;
      assert.ok(sum >= 0, `running total below zero: ${context}`);
    }
    assert.equal(priced.total_minor, sum, context);
    assert.equal(priced.subtotal_minor, subtotal, context);
  }
});
