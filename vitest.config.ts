import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(__dirname),
      // Unit tests run outside React's server environment; the marker module is a no-op there.
      "server-only": path.resolve(__dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts"],
    // Integration tests need the real directories: vitest.integration.config.ts runs them.
    exclude: ["**/*.int.test.ts", "node_modules/**"],
    environment: "node",
  },
});
