/**
 * Listening problems as one-line user errors that name the address and the
 * fix: a bad port, a port in use, an address that is not this machine's, a
 * port or permission the process may not use.
 *
 * @module
 */
import { UserError } from "../errors.ts";

/**
 * Checks a TCP port number: an integer from 0 (any free port) to 65535.
 *
 * @example
 * ```ts
 * import { checkPort } from "./listen.ts";
 * checkPort(8787); // ok
 * checkPort(70000); // throws UserError: port 70000: expected an integer from 0 to 65535
 * ```
 */
export function checkPort(port: number, name = "port"): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UserError(
      `${name} ${JSON.stringify(port)}: expected an integer from 0 to 65535 (0 picks a free port)`,
    );
  }
  return port;
}

/**
 * The user error for a failed `Deno.serve` on `hostname:port`, or the error
 * itself when it is not one a user can fix.
 *
 * @example
 * ```ts
 * import { listenError } from "./listen.ts";
 * try {
 *   Deno.serve({ hostname: "127.0.0.1", port: 8787 }, () => new Response("ok"));
 * } catch (error) {
 *   throw listenError(error, "127.0.0.1", 8787);
 * }
 * ```
 */
export function listenError(error: unknown, hostname: string, port: number): unknown {
  const at = `${hostname}:${port}`;
  if (error instanceof Deno.errors.AddrInUse) {
    return new UserError(
      `cannot listen on ${at}: the port is in use (another server, or a serve still running); ` +
        `stop it, or pick another --port (0 picks a free one)`,
      { cause: error },
    );
  }
  if (error instanceof Deno.errors.AddrNotAvailable) {
    return new UserError(
      `cannot listen on ${at}: ${hostname} is not an address of this machine; ` +
        `use --hostname 127.0.0.1 (or 0.0.0.0 for every interface)`,
      { cause: error },
    );
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new UserError(
      `cannot listen on ${at}: permission denied by the system (ports below 1024 need privileges); ` +
        `use a port from 1024 up, like --port 8787`,
      { cause: error },
    );
  }
  if (error instanceof Deno.errors.NotCapable) {
    return new UserError(
      `cannot listen on ${at}: Deno has no network permission for it; ` +
        `run with --allow-net (deno task serve grants it)`,
      { cause: error },
    );
  }
  if (error instanceof RangeError) {
    return new UserError(`cannot listen on ${at}: ${error.message}`, { cause: error });
  }
  return error;
}
