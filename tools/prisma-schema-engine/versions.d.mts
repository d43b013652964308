/** Types for versions.mjs (checked against it by `tsc -p tools/prisma-schema-engine`). */
export const SAME_VERSION_PACKAGES: string[];
export const WASM_ENGINE_PACKAGE: string;
export function versionProblems(installed: Record<string, string | undefined>): string[];
export function versionMismatchMessage(installed: Record<string, string | undefined>): string | undefined;
export function installedPrismaVersions(): Record<string, string | undefined>;
export function assertPrismaVersions(): void;
