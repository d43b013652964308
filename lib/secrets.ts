import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { componentLogger } from "./observability/logger.mjs";

const log = componentLogger("secrets");

/**
 * Secrets the environment does not provide are generated once into the data directory
 * (mode 0600), so a fresh install needs no configuration and restarts keep sessions and
 * encrypted bind passwords readable.
 */
interface StoredSecrets {
  sessionSecret: string;
  encryptionKey: string; // base64, 32 bytes
}

export function parseEncryptionKey(raw: string, source: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, "hex") : Buffer.from(raw, "base64");
  if (key.length !== 32) {
    throw new Error(`${source} must be 32 bytes, as 64 hex characters or base64 (openssl rand -base64 32)`);
  }
  return key;
}

/** The one-line warning for a secrets file other accounts can open, or undefined when it is private. */
export function looseSecretsWarning(file: string, mode: number): string | undefined {
  if ((mode & 0o077) === 0) return undefined;
  const octal = (mode & 0o777).toString(8).padStart(3, "0");
  return `[portal] ${file} is open to other accounts on this machine (mode ${octal}): run chmod 600 ${file}`;
}

function warnIfLoose(file: string): void {
  let mode: number;
  try {
    mode = fs.statSync(file).mode;
  } catch {
    return;
  }
  const warning = looseSecretsWarning(file, mode);
  if (warning) log.warn(warning);
}

function readOrCreate(dataDir: string): StoredSecrets {
  const file = path.join(dataDir, "secrets.json");
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as StoredSecrets;
  if (!fs.existsSync(dataDir)) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dataDir, 0o700);
  }
  const secrets: StoredSecrets = {
    sessionSecret: randomBytes(32).toString("base64url"),
    encryptionKey: randomBytes(32).toString("base64"),
  };
  // "wx": never overwrite a file another instance wrote a moment ago.
  try {
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
    fs.chmodSync(file, 0o600);
    log.warn(
      `[portal] Generated the session secret and encryption key into ${file}. ` +
        "Back it up: without it, stored LDAP service account passwords cannot be decrypted. " +
        "Set AUTH_SECRET and ENCRYPTION_KEY to manage them yourself.",
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return JSON.parse(fs.readFileSync(file, "utf8")) as StoredSecrets;
  }
  return secrets;
}

export function loadSecrets(dataDir: string): { sessionSecret: string; encryptionKey: Buffer } {
  // Checked even when the environment supplies both secrets: the file may still hold old ones.
  warnIfLoose(path.join(dataDir, "secrets.json"));
  const fromEnvSession = process.env.AUTH_SECRET || process.env.NEXTAUTH_SECRET;
  const fromEnvKey = process.env.ENCRYPTION_KEY;
  const stored = fromEnvSession && fromEnvKey ? undefined : readOrCreate(dataDir);
  return {
    sessionSecret: fromEnvSession || stored!.sessionSecret,
    encryptionKey: fromEnvKey
      ? parseEncryptionKey(fromEnvKey, "ENCRYPTION_KEY")
      : parseEncryptionKey(stored!.encryptionKey, "The stored encryption key"),
  };
}
