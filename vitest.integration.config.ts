import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Integration tests against the three real test directories (Samba AD DC, OpenLDAP, 389 DS).
 * Start them first: e2e/directories/start-all.sh. Run: npx vitest run --config vitest.integration.config.ts
 */
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Tests run outside React's server environment; the marker module is a no-op there.
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    include: ["lib/**/*.int.test.ts", "scripts/**/*.int.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // One file at a time: Samba answers from a single process with a listen backlog of 10, and
    // several tests assert timings (timeouts, failover) that a loaded machine would blur.
    fileParallelism: false,
  },
});
