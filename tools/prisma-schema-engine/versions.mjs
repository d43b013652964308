// @ts-check
// The bridge works only with the Prisma release it was written for, and the wasm engine must be
// the build of that release's engines. This check reads the installed versions and fails loudly
// when they drift apart: in `postinstall` and whenever the bridge loads (core.mjs).

import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The Prisma packages that must carry the same version as `prisma`. */
export const SAME_VERSION_PACKAGES = [
  "@prisma/client",
  "@prisma/adapter-better-sqlite3",
  "@prisma/adapter-pg",
  "@prisma/driver-adapter-utils",
];
export const WASM_ENGINE_PACKAGE = "@prisma/schema-engine-wasm";

/**
 * What is wrong with a set of installed versions; empty when they fit together. The wasm
 * engine's version is "<prisma version>-<n>.<engines commit>" and must equal the engines version
 * that `prisma` was built with (@prisma/engines-version), when that is known.
 * @param {Record<string, string | undefined>} installed package name → installed version (undefined: not installed)
 * @returns {string[]}
 */
export function versionProblems(installed) {
  const prisma = installed.prisma;
  if (!prisma) return ["prisma is not installed"];
  /** @type {string[]} */
  const problems = [];
  for (const name of SAME_VERSION_PACKAGES) {
    const version = installed[name];
    if (version === undefined) problems.push(`${name} is not installed`);
    else if (version !== prisma) problems.push(`${name} is ${version}`);
  }
  const wasm = installed[WASM_ENGINE_PACKAGE];
  const engines = installed["@prisma/engines-version"];
  if (wasm === undefined) problems.push(`${WASM_ENGINE_PACKAGE} is not installed`);
  else if (!wasm.startsWith(`${prisma}-`))
    problems.push(`${WASM_ENGINE_PACKAGE} is ${wasm}, built for Prisma ${wasm.split("-")[0]}`);
  else if (engines !== undefined && wasm !== engines)
    problems.push(`${WASM_ENGINE_PACKAGE} is ${wasm} but prisma ${prisma} runs engines ${engines}`);
  return problems;
}

/**
 * The message for versionProblems(), naming the versions and the fix; undefined when all fit.
 * @param {Record<string, string | undefined>} installed
 * @returns {string | undefined}
 */
export function versionMismatchMessage(installed) {
  const problems = versionProblems(installed);
  if (problems.length === 0) return undefined;
  const prisma = installed.prisma ?? "<version>";
  const engines = installed["@prisma/engines-version"] ?? `${prisma}-<n>.<engines commit>`;
  return (
    `Prisma packages out of step with prisma ${prisma}: ${problems.join("; ")}. ` +
    `Install matching versions: npm install --save-exact prisma@${prisma} ${SAME_VERSION_PACKAGES.map((name) => `${name}@${prisma}`).join(" ")} ${WASM_ENGINE_PACKAGE}@${engines} ` +
    `(when upgrading Prisma, first check that ${WASM_ENGINE_PACKAGE} has a build for the new release; see tools/prisma-schema-engine/README.md).`
  );
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * The package.json of a package as Node would find it from `from` (a file path). Looked up on
 * disk: some packages do not export their package.json.
 * @param {string} name
 * @param {string} from
 * @returns {string | undefined}
 */
function findManifest(name, from) {
  for (const dir of createRequire(from).resolve.paths(name) ?? []) {
    const manifest = path.join(dir, name, "package.json");
    if (fs.existsSync(manifest)) return manifest;
  }
  return undefined;
}

/**
 * @param {string | undefined} manifest
 * @returns {string | undefined}
 */
function versionOf(manifest) {
  return manifest ? JSON.parse(fs.readFileSync(manifest, "utf8")).version : undefined;
}

/**
 * The installed versions of the packages versionProblems() compares.
 * @returns {Record<string, string | undefined>}
 */
export function installedPrismaVersions() {
  const fromRoot = path.join(root, "package.json");
  /** @type {Record<string, string | undefined>} */
  const installed = {};
  for (const name of ["prisma", ...SAME_VERSION_PACKAGES, WASM_ENGINE_PACKAGE])
    installed[name] = versionOf(findManifest(name, fromRoot));
  // The engines version the CLI was built with: a dependency of @prisma/engines, itself one of prisma's.
  const prismaManifest = findManifest("prisma", fromRoot);
  const enginesManifest = prismaManifest && findManifest("@prisma/engines", prismaManifest);
  installed["@prisma/engines-version"] = enginesManifest
    ? versionOf(findManifest("@prisma/engines-version", enginesManifest))
    : undefined;
  return installed;
}

/** Throws versionMismatchMessage() for the installed packages. */
export function assertPrismaVersions() {
  const message = versionMismatchMessage(installedPrismaVersions());
  if (message) throw new Error(message);
}

// versions.d.mts declares these exports; this line makes tsc compare the two.
/** @type {typeof import("./versions.d.mts")} */
const declared = {
  SAME_VERSION_PACKAGES,
  WASM_ENGINE_PACKAGE,
  versionProblems,
  versionMismatchMessage,
  installedPrismaVersions,
  assertPrismaVersions,
};
void declared;
