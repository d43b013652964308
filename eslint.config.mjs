import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

/** Modules that do network or database work: never in a browser bundle. */
const SERVER_ONLY_MODULES = {
  paths: [
    {
      name: "@/lib/ldap",
      message: "The LDAP engine runs on the server: call a server action.",
      allowTypeImports: true,
    },
    {
      name: "@/lib/ldap/index",
      message: "The LDAP engine runs on the server: call a server action.",
      allowTypeImports: true,
    },
    ...["@/lib/crypto", "@/lib/secrets", "@/lib/env"].map((name) => ({
      name,
      message: "Server code: call a server action.",
      allowTypeImports: true,
    })),
  ],
  patterns: [
    {
      group: ["@/lib/ldap/engine", "@/lib/ldap/engine/*"],
      message: "The LDAP engine runs on the server: call a server action.",
      allowTypeImports: true,
    },
    {
      group: ["@/lib/db", "@/lib/db/*", "@/lib/auth/*"],
      message: "Server code: call a server action.",
      allowTypeImports: true,
    },
  ],
};

const LDAPTS = {
  name: "ldapts",
  message: "Only the LDAP engine (lib/ldap/engine) speaks LDAP: use its public entry, @/lib/ldap.",
};
const PRISMA = {
  group: [
    "@prisma/*",
    "**/db/generated/*",
    "@/lib/db/generated/*",
    "**/db/generated-postgresql/*",
    "@/lib/db/generated-postgresql/*",
    "@/lib/db/client",
  ],
  message: "Database access lives in lib/db: add a function there.",
};
/** Outside lib/ldap the engine is reached through its public entry only. */
const ENGINE_INSIDE = {
  group: ["@/lib/ldap/engine", "@/lib/ldap/engine/*"],
  message: "Use the engine's public entry, @/lib/ldap (lib/ldap/index.ts).",
};
/** lib/ldap's pure modules (forms import them) stay free of the engine. */
const ENGINE_FROM_PURE = {
  group: [
    "./engine",
    "./engine/*",
    "@/lib/ldap/engine",
    "@/lib/ldap/engine/*",
    "@/lib/ldap",
    "@/lib/ldap/index",
    "./index",
  ],
  message: "A pure lib/ldap module (forms import it) may not import the network engine.",
  allowTypeImports: true,
};
// The TypeScript flavour of the rule: a type-only import is erased and may cross any boundary.
const restrict = (paths, patterns) => ({ "@typescript-eslint/no-restricted-imports": ["error", { paths, patterns }] });
const TESTS = ["**/*.test.ts", "**/integration/**"];

// The boundaries of the codebase, checked on every lint. For one file the last matching block
// decides, so each block lists everything that file may not import.
const boundaries = [
  // Only the engine speaks LDAP, and only lib/db holds queries (tests arrange directory entries with ldapts).
  {
    files: ["app/**", "lib/**"],
    ignores: ["lib/ldap/**", "lib/db/**", ...TESTS],
    rules: restrict([LDAPTS], [PRISMA, ENGINE_INSIDE]),
  },
  {
    files: ["lib/ldap/*.ts"],
    ignores: ["lib/ldap/index.ts", ...TESTS],
    rules: restrict([LDAPTS], [PRISMA, ENGINE_FROM_PURE]),
  },
  {
    files: ["lib/ldap/engine/**", "lib/ldap/index.ts", "scripts/**", "bench/**"],
    ignores: TESTS,
    rules: restrict([], [PRISMA]),
  },
  { files: ["lib/db/**"], ignores: TESTS, rules: restrict([LDAPTS], [ENGINE_INSIDE]) },
  // Client components (the files that start with "use client"): nothing of the server at all.
  {
    files: ["app/**/_components/**", "app/**/*-form.tsx"],
    rules: restrict([LDAPTS, ...SERVER_ONLY_MODULES.paths], [PRISMA, ...SERVER_ONLY_MODULES.patterns]),
  },
];

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  ...boundaries,
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".directories/**",
      "data/**",
      "lib/db/generated/**",
      "lib/db/generated-postgresql/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
];

export default config;
