// @ts-check
// The migrations folder as Prisma reads it: one sub-folder per migration holding migration.sql,
// applied in name order, and migration_lock.toml naming the provider.

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * @typedef {object} MigrationFolder
 * @property {string} name the folder's name, e.g. 20261129092806_init
 * @property {string} scriptPath its migration.sql
 */

/**
 * The migration folders in name order (files such as migration_lock.toml are skipped). A missing
 * folder is an empty history, as in Prisma.
 * @param {string} migrationsDir
 * @returns {MigrationFolder[]}
 */
export function listMigrationFolders(migrationsDir) {
  if (!fs.existsSync(migrationsDir)) return [];
  return fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ name: entry.name, scriptPath: path.join(migrationsDir, entry.name, "migration.sql") }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The provider migration_lock.toml names, or undefined without one.
 * @param {string} migrationsDir
 * @returns {string | undefined}
 */
export function lockfileProvider(migrationsDir) {
  const file = path.join(migrationsDir, "migration_lock.toml");
  if (!fs.existsSync(file)) return undefined;
  const match = /^\s*provider\s*=\s*"([^"]*)"/m.exec(fs.readFileSync(file, "utf8"));
  return match?.[1];
}

/**
 * A migration's script and its checksum: the sha256 (hex) of the file's bytes, as Prisma
 * computes it. Undefined when the file is missing.
 * @param {MigrationFolder} folder
 * @returns {{ script: string, checksum: string } | undefined}
 */
export function readMigrationScript(folder) {
  let bytes;
  try {
    bytes = fs.readFileSync(folder.scriptPath);
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === "ENOENT") return undefined;
    throw error;
  }
  return {
    script: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes),
    checksum: createHash("sha256").update(bytes).digest("hex"),
  };
}
