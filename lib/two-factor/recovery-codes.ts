import { createHash, randomBytes } from "node:crypto";

export const RECOVERY_CODE_COUNT = 10;

// Crockford's base32 without look-alikes: 16 characters are 80 bits, beyond guessing or cracking
// a stolen hash, so a plain SHA-256 of each code suffices.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function code(): string {
  const bytes = randomBytes(16);
  const characters = [...bytes].map((byte) => ALPHABET[byte % 32]).join("");
  return `${characters.slice(0, 4)}-${characters.slice(4, 8)}-${characters.slice(8, 12)}-${characters.slice(12, 16)}`;
}

/** Ten new codes, shown once: only their hashes are stored. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, code);
}

/** The stored form of a code, however it was typed (case, spaces, dashes). */
export function recoveryCodeHash(typed: string): string {
  const normalized = typed.toUpperCase().replace(/[^0-9A-Z]/g, "");
  return createHash("sha256").update(normalized).digest("hex");
}
