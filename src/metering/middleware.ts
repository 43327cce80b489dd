/**
 * Request metering for HTTP services: a Hono middleware ({@linkcode meter})
 * and a wrapper for a plain `Deno.serve` handler ({@linkcode meteredHandler}),
 * both on the same {@linkcode MeterCore}.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import {
  type EndpointOf,
  MeterCore,
  type MeterOptions,
  type RequestMeter,
  withResponseHeader,
} from "./core.ts";

/** The Hono context variables {@linkcode meter} sets. */
export type MeterVariables = {
  /** The authenticated tenant of the request. */
  tenant_id: string;
  /**
   * The request's metering: `c.get("request_meter").id` is the id of its
   * usage event (written out as text when first read).
   */
  request_meter: RequestMeter;
};

type MatchedRoute = ReturnType<typeof matchedRoutes>[number];

/**
 * Whether a matched route is a request handler rather than a middleware.
 * Routes registered for a method (`app.get`, `app.post`, `app.on`) are
 * handlers whatever their parameters (`(c, _next) => ...` too). `app.use`
 * and `app.all` both register method `ALL`; only there does the arity
 * decide: a handler takes `(c)`, a middleware `(c, next)`. (A function
 * mounted with `app.mount()` takes `(c, next)` too, so it counts as a
 * middleware; {@linkcode endpointOf} still gives its pattern when it answers.)
 */
function isHandler(route: MatchedRoute): boolean {
  if (route.method !== "ALL") return true;
  // a sub-app with its own onError (`app.route(path, sub)`) has each of its routes wrapped in a
  // (c, next) function that keeps the route's own handler under this key (hono's COMPOSED_HANDLER),
  // once per level of sub-apps: unwrap them all, as hono's own findTargetHandler does
  type Wrapped = ((...args: unknown[]) => unknown) & { [COMPOSED_HANDLER]?: Wrapped };
  let handler = route.handler as Wrapped;
  while (handler[COMPOSED_HANDLER]) handler = handler[COMPOSED_HANDLER];
  return handler.length < 2;
}

/** The key under which Hono keeps a sub-app route's own handler (`hono/utils/constants`). */
const COMPOSED_HANDLER = "__COMPOSED_HANDLER";

/**
 * The route pattern that handles the request (`/v1/jobs/:id`, not the raw
 * path): the route that answered (`last`: Hono's `routeIndex` is left on the
 * last route that ran) when it is a handler, else the last matching handler
 * after the meter. When no handler matched, a route after the meter that
 * answered with anything but a 404 gives its pattern: a function mounted with
 * `app.mount()` (`/legacy/*`), an `app.all` handler that declares `next`, or a
 * middleware that answered by itself (a CORS preflight on `/v1/*`); a 404 is a
 * request that fell through every route, `null`. `self` is the meter's own
 * route index. `routes` are the request's matched routes (`matchedRoutes(c)`),
 * which stay as they are after the response, so it can run when the event is
 * built.
 */
function endpointOf(
  routes: MatchedRoute[],
  self: number,
  last: number,
  status: number,
): string | null {
  if (last > self && routes[last] && isHandler(routes[last])) return routes[last].path;
  for (let i = routes.length - 1; i > self; i--) {
    if (isHandler(routes[i])) return routes[i].path;
  }
  return last > self && routes[last] && status !== 404 ? routes[last].path : null;
}

/**
 * A Hono middleware that meters every request it sees: authenticates the
 * `Authorization: Bearer` key (401 and an `unauthenticated` event when it is
 * missing or unknown), lets the handlers run, then writes one usage event with
 * the route pattern, method, status, duration and a UUIDv7 id. A handler that
 * throws is recorded with status 500. Mount it on the routes to meter only
 * (leave `/healthz` outside it).
 *
 * The handlers read the tenant with `c.get("tenant_id")`, and the id of the
 * request's event with `c.get("request_meter").id`.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { meter, type MeterVariables } from "./middleware.ts";
 * import { ApiKeyAuth, hashApiKey } from "./auth.ts";
 * import { MemorySink } from "./sink.ts";
 * const app = new Hono<{ Variables: MeterVariables }>();
 * app.use("/v1/*", meter({ sink: new MemorySink(), auth: new ApiKeyAuth([{ tenant_id: "dept_a", sha256: hashApiKey("k") }]) }));
 * app.get("/v1/jobs/:id", (c) => c.json({ tenant: c.get("tenant_id"), job: c.req.param("id") }));
 * const res = await app.request("/v1/jobs/7", { headers: { authorization: "Bearer k" } });
 * ```
 */
export function meter(options: MeterOptions | MeterCore): MiddlewareHandler<
  { Variables: MeterVariables }
> {
  const core = options instanceof MeterCore ? options : new MeterCore(options);
  const header = core.eventIdHeader;
  return async function meterMiddleware(c, next) {
    const req = c.req;
    const self = req.routeIndex;
    const m = core.begin(req.header("authorization"));
    const method = req.method;
    if (m.tenant_id === null) {
      const stored = await core.finish(
        m,
        endpointOf(matchedRoutes(c), self, self, 401),
        method,
        401,
      );
      return stored || !core.requireStored ? core.unauthorized(m.id) : core.unavailable(m.id);
    }
    c.set("tenant_id", m.tenant_id);
    c.set("request_meter", m);
    let status = 500;
    try {
      await next();
      status = c.res.status;
    } finally {
      // the route pattern is picked when the event is built, after the response, from the
      // matched routes (fixed objects, taken now: holding the request would keep its body)
      const routes = matchedRoutes(c);
      const last = req.routeIndex;
      const done = core.finish(m, () => endpointOf(routes, self, last, status), method, status);
      const stored = done === true || await done;
      // the handlers had `m`: its id is read as begin made it, so that a handler that defined
      // over `m.id` cannot make the header or the 503 disagree with the stored event
      if (!stored && core.requireStored) c.res = core.unavailable(core.idOf(m));
      else if (header) {
        const res = c.res;
        const id = core.idOf(m);
        try {
          res.headers.set(header, id); // in place: assigning c.res would copy the response
        } catch {
          c.res = withResponseHeader(res, header, id); // immutable headers: copy
        }
      }
    }
    return undefined;
  };
}

/** A plain request handler that also receives the authenticated tenant. */
export type TenantHandler = (
  request: Request,
  info: Deno.ServeHandlerInfo,
  tenant_id: string,
) => Response | Promise<Response>;

/** Options of {@linkcode meteredHandler}. */
export interface MeteredHandlerOptions {
  /**
   * Route patterns like `/v1/jobs/:id` (segments `:name` match one segment, a
   * final `*` the rest): the event's endpoint is the first matching pattern,
   * or `null` when none matches. Without patterns the endpoint is the raw path.
   */
  routes?: string[];
}

/**
 * Compiles route patterns into a function from a path to its pattern.
 *
 * @example
 * ```ts
 * import { routeMatcher } from "./middleware.ts";
 * routeMatcher(["/v1/jobs/:id", "/v1/files/*"])("/v1/jobs/42"); // "/v1/jobs/:id"
 * ```
 */
export function routeMatcher(routes: string[]): (path: string) => string | null {
  const compiled = routes.map((route) => {
    const source = route.split("/").map((segment, i, all) => {
      if (segment.startsWith(":")) return "[^/]+";
      if (segment === "*" && i === all.length - 1) return ".*";
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("/");
    return { route, re: new RegExp(`^${source}/?$`) };
  });
  return (path) => {
    for (const { route, re } of compiled) if (re.test(path)) return route;
    return null;
  };
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `a ${value.constructor?.name ?? "object"}`;
  return typeof value;
}

function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  const q = url.indexOf("?", start);
  const h = url.indexOf("#", start);
  const end = q < 0 ? (h < 0 ? url.length : h) : q;
  return url.slice(start, end);
}

/**
 * Wraps a plain `Deno.serve` handler with the same metering as
 * {@linkcode meter}: 401 without a valid key, one usage event per request
 * (status 500 when the handler throws; the error still propagates to
 * `Deno.serve`, which answers 500).
 *
 * @example
 * ```ts
 * import { meteredHandler } from "./middleware.ts";
 * import { ApiKeyAuth, hashApiKey } from "./auth.ts";
 * import { MemorySink } from "./sink.ts";
 * const handler = meteredHandler(
 *   (_req, _info, tenant) => Response.json({ tenant }),
 *   { sink: new MemorySink(), auth: new ApiKeyAuth([{ tenant_id: "dept_a", sha256: hashApiKey("k") }]) },
 *   { routes: ["/v1/jobs/:id"] },
 * );
 * // Deno.serve({ port: 8787 }, handler);
 * ```
 */
export function meteredHandler(
  handler: TenantHandler,
  options: MeterOptions | MeterCore,
  handlerOptions: MeteredHandlerOptions = {},
): (request: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response> {
  const core = options instanceof MeterCore ? options : new MeterCore(options);
  const match = handlerOptions.routes ? routeMatcher(handlerOptions.routes) : null;
  const header = core.eventIdHeader;
  // the pattern is matched when the event is built (after the response); the url is read now,
  // while the request is open
  const endpoint = (url: string): EndpointOf => () => (match ? match(pathOf(url)) : pathOf(url));
  /** The response once its event is handed over: a 503 when it had to be stored and was not. */
  const respond = (m: RequestMeter, res: Response, stored: boolean): Response => {
    if (!stored && core.requireStored) return core.unavailable(m.id);
    return header ? withResponseHeader(res, header, m.id) : res;
  };
  const complete = (m: RequestMeter, request: Request, res: Response) => {
    if (!(res instanceof Response)) {
      // Deno.serve answers 500 to anything else: the event says so too
      return failed(
        m,
        request,
        new TypeError(`meteredHandler: the handler gave ${typeOf(res)}, not a Response`),
      );
    }
    const done = core.finish(m, endpoint(request.url), request.method, res.status);
    return done === true ? respond(m, res, true) : done.then((stored) => respond(m, res, stored));
  };
  const failed = async (m: RequestMeter, request: Request, error: unknown): Promise<never> => {
    await core.finish(m, endpoint(request.url), request.method, 500);
    throw error;
  };
  // not an async function: a handler that answers at once gets its response back at once
  // (Deno.serve takes a Response or a promise of one), without a promise in between
  return function meteredServeHandler(request, info) {
    const m = core.begin(request.headers.get("authorization"));
    if (m.tenant_id === null) {
      const done = core.finish(m, endpoint(request.url), request.method, 401);
      const answer = (stored: boolean) =>
        stored || !core.requireStored ? core.unauthorized(m.id) : core.unavailable(m.id);
      return done === true ? answer(true) : done.then(answer);
    }
    let res: Response | Promise<Response>;
    try {
      res = handler(request, info, m.tenant_id);
    } catch (error) {
      return failed(m, request, error);
    }
    if (res instanceof Response) return complete(m, request, res);
    return Promise.resolve(res).then(
      (r) => complete(m, request, r),
      (error) => failed(m, request, error),
    );
  };
}
