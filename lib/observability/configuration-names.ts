/**
 * The stored configuration's name of each engine configuration object, so the engine can label
 * what it measures (directory-observer.ts). The engine configuration itself carries no name: its
 * content alone decides how it connects. lib/db/ldap-configs.ts toEngineConfig names every
 * configuration it makes from a stored row.
 */
const NAMES = Symbol.for("ldap-portal.configuration-names");
const globalForNames = globalThis as unknown as { [NAMES]?: WeakMap<object, string> };

export function nameConfiguration(config: object, name: string): void {
  (globalForNames[NAMES] ??= new WeakMap()).set(config, name);
}

/** The name an engine configuration was made under; undefined for typed values never saved. */
export function configurationName(config: object): string | undefined {
  return globalForNames[NAMES]?.get(config);
}
