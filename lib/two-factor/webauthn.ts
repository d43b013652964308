import "server-only";
import { isIP } from "node:net";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { headers } from "next/headers";

const RP_NAME = "LDAP Portal";

/** WebAuthn takes a domain name as relying party id, never an IP address. */
const isDomainName = (hostname: string) => isIP(hostname.replace(/^\[|\]$/g, "")) === 0;

/**
 * Who the passkeys belong to: the public URL's host (NEXTAUTH_URL) when it is a name, else the
 * host this request came to. `npm start` sets NEXTAUTH_URL to http://HOST:PORT when the operator
 * did not, and an address cannot own passkeys: the name the browser used can. The browser signs
 * the origin it really saw, so a request naming another host than the page's gets a response
 * that does not verify.
 */
async function relyingParty(): Promise<{ id: string; origin: string }> {
  const configured = process.env.NEXTAUTH_URL;
  if (configured) {
    const url = new URL(configured);
    if (isDomainName(url.hostname)) return { id: url.hostname, origin: url.origin };
  }
  const requestHeaders = await headers();
  const host = requestHeaders.get("host") ?? "localhost";
  const origin = requestHeaders.get("origin") ?? `http://${host}`;
  return { id: new URL(`http://${host}`).hostname, origin: `${new URL(origin).protocol}//${host}` };
}

export interface StoredPasskey {
  id: string;
  credentialId: string | null;
  publicKey: string | null;
  counter: number;
  transports: string;
}

const transportsOf = (passkey: StoredPasskey) =>
  passkey.transports ? (passkey.transports.split(",") as AuthenticatorTransport[]) : undefined;

export async function registrationOptions(user: { id: string; username: string }, existing: StoredPasskey[]) {
  const rp = await relyingParty();
  return generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.id,
    userName: user.username,
    userID: new TextEncoder().encode(user.id),
    attestationType: "none",
    excludeCredentials: existing.flatMap((passkey) =>
      passkey.credentialId ? [{ id: passkey.credentialId, transports: transportsOf(passkey) }] : [],
    ),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
}

/** The new passkey's stored form, or undefined when the response does not verify. */
export async function verifyRegistration(response: RegistrationResponseJSON, expectedChallenge: string) {
  const rp = await relyingParty();
  const verification = await verifyRegistrationResponse({
    response,
    expectedChallenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: false,
  }).catch(() => undefined);
  if (!verification?.verified || !verification.registrationInfo) return undefined;
  const { credential } = verification.registrationInfo;
  return {
    credentialId: credential.id,
    publicKey: Buffer.from(credential.publicKey).toString("base64url"),
    counter: credential.counter,
    transports: (credential.transports ?? []).join(","),
  };
}

export async function authenticationOptions(passkeys: StoredPasskey[]) {
  const rp = await relyingParty();
  return generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: passkeys.flatMap((passkey) =>
      passkey.credentialId ? [{ id: passkey.credentialId, transports: transportsOf(passkey) }] : [],
    ),
    userVerification: "preferred",
  });
}

/** The passkey that signed and its new counter, or undefined when the response does not verify. */
export async function verifyAuthentication(
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  passkeys: StoredPasskey[],
) {
  const passkey = passkeys.find((candidate) => candidate.credentialId === response.id);
  if (!passkey?.credentialId || !passkey.publicKey) return undefined;
  const rp = await relyingParty();
  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    credential: {
      id: passkey.credentialId,
      publicKey: new Uint8Array(Buffer.from(passkey.publicKey, "base64url")),
      counter: passkey.counter,
      transports: transportsOf(passkey),
    },
    requireUserVerification: false,
  }).catch(() => undefined);
  if (!verification?.verified) return undefined;
  return { factorId: passkey.id, counter: verification.authenticationInfo.newCounter };
}
