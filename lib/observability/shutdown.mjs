// Work the server finishes before it exits on SIGINT / SIGTERM, e.g. the last flush of the
// sign-in statistics: scripts/server.mjs runs these hooks once it stopped taking requests, for a
// few seconds at most. Kept on globalThis: the server and Next.js's bundles share it.
const SHUTDOWN_HOOKS = Symbol.for("ldap-portal.shutdown-hooks");

/** Adds work to run at shutdown. */
export function onShutdown(hook) {
  (globalThis[SHUTDOWN_HOOKS] ??= []).push(hook);
}

/** Runs every hook, together, waiting at most `timeoutMs`; a failing hook does not stop the others. */
export async function runShutdownHooks(timeoutMs) {
  const hooks = globalThis[SHUTDOWN_HOOKS] ?? [];
  let timer;
  const deadline = new Promise((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([Promise.allSettled(hooks.map((hook) => hook())), deadline]);
  clearTimeout(timer);
}
