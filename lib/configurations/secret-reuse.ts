/**
 * When a stored service account password may be used for values the administrator typed: only
 * toward the same servers, for the same account, at least as protected. Pure: unit tested.
 */
import type { LdapConfigInput } from "@/lib/ldap/config";
import { splitList } from "@/lib/ldap/list";

/** Where and how a service account password is sent. */
export type Destination = Pick<
  LdapConfigInput,
  "url" | "failoverUrls" | "serviceAccountDn" | "startTls" | "verifyCertificate" | "caCertificate"
>;

export function sameDestination(stored: Destination, typed: Destination): boolean {
  return (
    stored.url === typed.url &&
    splitList(stored.failoverUrls).join("\n") === splitList(typed.failoverUrls).join("\n") &&
    stored.serviceAccountDn === typed.serviceAccountDn &&
    stored.startTls === typed.startTls &&
    stored.verifyCertificate === typed.verifyCertificate &&
    stored.caCertificate === typed.caCertificate
  );
}

/** The saved configuration the typed values would replace, if any. */
export type StoredSecret = { destination: Destination; hasPassword: boolean } | undefined;

/** The stored password when the typed values leave the field empty and may reuse it. */
export function mayReuseStoredPassword(
  typed: Destination & { serviceAccountPassword: string },
  stored: StoredSecret,
): boolean {
  return (
    !typed.serviceAccountPassword &&
    stored !== undefined &&
    stored.hasPassword &&
    sameDestination(stored.destination, typed)
  );
}

/** Saving: the field error for the Service Account Password, or undefined. */
export function servicePasswordError(
  typed: Destination & { serviceAccountPassword: string },
  stored: StoredSecret,
): string | undefined {
  if (!typed.serviceAccountDn || typed.serviceAccountPassword) return undefined;
  if (!stored?.hasPassword) return "Enter the Service Account Password";
  if (!sameDestination(stored.destination, typed)) {
    return "Type the Service Account Password again: the URL, Failover URLs, Service Account DN or TLS settings changed";
  }
  return undefined;
}
