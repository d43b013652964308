/** Types for shutdown.mjs (plain JavaScript so that the custom server runs it without a build). */
export function onShutdown(hook: () => Promise<void>): void;
export function runShutdownHooks(timeoutMs: number): Promise<void>;
