import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env } from "./env";

/**
 * Secret encryption at rest (AES-256-GCM). Format: "v1:" + base64(iv | tag | ciphertext).
 * The version prefix lets a later key rotation tell old ciphertexts apart.
 */
const VERSION = "v1:";

export function encryptSecret(plaintext: string, key: Buffer = env().encryptionKey): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64");
}

export class SecretDecryptionError extends Error {
  constructor() {
    super(
      "The stored secret cannot be decrypted with the current encryption key. " +
        "Restore the original ENCRYPTION_KEY (or data/secrets.json) or enter the password again.",
    );
    this.name = "SecretDecryptionError";
  }
}

export function decryptSecret(stored: string, key: Buffer = env().encryptionKey): string {
  if (!stored.startsWith(VERSION)) throw new SecretDecryptionError();
  const raw = Buffer.from(stored.slice(VERSION.length), "base64");
  if (raw.length < 28) throw new SecretDecryptionError();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12), { authTagLength: 16 });
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretDecryptionError();
  }
}
