// Counts LDAP requests and new connections by wrapping the client libraries' private send and
// connect methods (bench only). The engine and raw ldapts share the one ldapts module; ldapauth-fork
// uses ldapjs. Cells run one at a time, so a cell's delta belongs to that cell's implementation.
import { createRequire } from "node:module";
import { Client } from "ldapts";
import { COUNTED_METHODS } from "../lib/ldap/engine/ldapts-internals";

export const counters = { requests: 0, connections: 0 };

type Patchable = Record<string, unknown>;

function wrap(proto: Patchable, method: string, before: (self: Patchable) => void): boolean {
  const original = proto[method];
  if (typeof original !== "function") return false;
  proto[method] = function (this: Patchable, ...args: unknown[]) {
    before(this);
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  return true;
}

/** Installs the counters; returns which ones could be installed (private names can change). */
export function installCounters(): string[] {
  const installed: string[] = [];
  const ldapts = Client.prototype as unknown as Patchable;
  if (wrap(ldapts, COUNTED_METHODS.request, () => void (counters.requests += 1))) installed.push("ldapts requests");
  if (wrap(ldapts, COUNTED_METHODS.connect, (self) => void (self.isConnected ? 0 : (counters.connections += 1))))
    installed.push("ldapts connections");

  const require = createRequire(import.meta.url);
  // ldapauth-fork require()s this same ldapjs (it is hoisted), so the prototype is shared.
  const ldapjs = (require("ldapjs") as { Client: { prototype: Patchable } }).Client.prototype;
  if (wrap(ldapjs, "_sendSocket", () => void (counters.requests += 1))) installed.push("ldapjs requests");
  if (wrap(ldapjs, "connect", () => void (counters.connections += 1))) installed.push("ldapjs connections");
  return installed;
}

export function snapshot(): { requests: number; connections: number } {
  return { ...counters };
}
