/**
 * The `mix` generator (the `seed` scenario): one month, N events, tenants and
 * event types drawn with weights, compute units uniform in a range per type,
 * timestamps uniform over the month. Pure: the same scenario and seed give
 * the same events.
 *
 * @module
 */
import type { UsageEvent } from "../events/mod.ts";
import { ScenarioRandom } from "./random.ts";
import type { MixScenario } from "./scenario.ts";
import { addMonths, eventId, idWidth, isoMs, monthStartMs } from "./time.ts";

/** Endpoints api_call events name when the scenario lists none. */
export const DEFAULT_ENDPOINTS = ["/v1/forecast", "/v1/observations", "/v1/runs", "/v1/status"];
const N_PARTICLES = [50, 100, 200, 500, 1000];
const N_STEPS = [30, 90, 180, 365];

/** Fills the optional fields an event of a known type carries, from the draws. */
export function detailFields(
  r: ScenarioRandom,
  type: string,
  units: number,
  endpoints: readonly string[],
): Partial<UsageEvent> {
  if (type === "api_call") {
    const endpoint = endpoints[r.int(0, endpoints.length - 1)];
    return {
      endpoint,
      method: r.uniform() < 0.8 ? "GET" : "POST",
      status_code: 200,
      duration_ms: ScenarioRandom.round(5 + 195 * r.uniform() ** 2, 3),
    };
  }
  if (type === "enkf_run") {
    // Consistent with the seed's formula units = n_ens * n_steps * seconds / 1000.
    const n = N_PARTICLES[r.int(0, N_PARTICLES.length - 1)];
    const steps = N_STEPS[r.int(0, N_STEPS.length - 1)];
    return {
      n_particles: n,
      n_steps: steps,
      compute_seconds: ScenarioRandom.round((units * 1000) / (n * steps), 6),
      status: "ok",
    };
  }
  if (type === "report_gen") {
    return { duration_ms: ScenarioRandom.round(200 + 4800 * r.uniform(), 3) };
  }
  return {};
}

/**
 * Generates a `mix` scenario's events, sorted by time, ids in that order.
 *
 * @example
 * ```ts
 * import { loadScenario } from "./scenario.ts";
 * import { generateMix } from "./mix.ts";
 * import type { MixScenario } from "./scenario.ts";
 * const seed = await loadScenario("seed") as MixScenario;
 * const events = generateMix(seed, { seed: 42 });
 * events.length; // 200
 * ```
 */
export function generateMix(
  scenario: MixScenario,
  options: { seed: number; events?: number },
): UsageEvent[] {
  const count = options.events ?? scenario.events;
  const r = new ScenarioRandom(`${scenario.name}/${options.seed}`);
  const start = monthStartMs(scenario.month);
  const span = monthStartMs(addMonths(scenario.month, 1)) - start;
  const tenantWeights = scenario.tenants.map((t) => t.weight);
  const typeWeights = scenario.event_types.map((t) => t.weight);
  const endpoints = scenario.endpoints ?? DEFAULT_ENDPOINTS;
  const drawn: Array<{ ms: number; order: number; event: Omit<UsageEvent, "id" | "ts"> }> = [];
  for (let i = 0; i < count; i++) {
    const tenant = scenario.tenants[r.pick(tenantWeights)].id;
    const spec = scenario.event_types[r.pick(typeWeights)];
    const units = r.units(spec.compute_units[0], spec.compute_units[1]);
    const ms = start + Math.floor(r.uniform() * span);
    drawn.push({
      ms,
      order: i,
      event: {
        tenant_id: tenant,
        event_type: spec.type,
        compute_units: units,
        ...detailFields(r, spec.type, units, endpoints),
      },
    });
  }
  drawn.sort((a, b) => a.ms - b.ms || a.order - b.order);
  const prefix = scenario.id_prefix ?? scenario.name;
  const width = idWidth(count);
  return drawn.map((d, n) => ({
    id: eventId(prefix, options.seed, n, width),
    ts: isoMs(d.ms),
    ...d.event,
  }));
}
