import "server-only";
import { X509Certificate } from "node:crypto";
import net from "node:net";
import type { ConnectionOptions, TLSSocket } from "node:tls";
import type { CompiledConfiguration } from "./registry";

/**
 * TLS settings for ldaps:// and StartTLS: verification on unless turned off, custom CA added to
 * the system roots. `host` is the URL's host: the certificate is checked against it (ldapts's
 * startTLS would otherwise check against "localhost").
 */
export function tlsOptionsFor(compiled: CompiledConfiguration, host: string): ConnectionOptions {
  return {
    host,
    ...(net.isIP(host) ? {} : { servername: host }),
    rejectUnauthorized: compiled.config.verifyCertificate,
    secureContext: compiled.secureContext(),
  };
}

export interface TlsInfo {
  protocol: string | null;
  cipher: string;
  subject: string;
  issuer: string;
  subjectAltName?: string;
  validTo: string;
  authorized: boolean;
}

export function tlsInfoOf(socket: TLSSocket): TlsInfo | undefined {
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return undefined;
  const name = (parts: Record<string, string | string[]> | undefined) =>
    Object.entries(parts ?? {})
      .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join("+") : value}`)
      .join(", ");
  return {
    protocol: socket.getProtocol(),
    cipher: socket.getCipher().name,
    subject: name(cert.subject as unknown as Record<string, string>),
    issuer: name(cert.issuer as unknown as Record<string, string>),
    subjectAltName: cert.subjectaltname,
    validTo: new Date(cert.valid_to).toISOString(),
    authorized: socket.authorized,
  };
}

/** Checks that a CA field holds at least one parsable PEM certificate. */
export function pemProblem(pem: string): string | undefined {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) return "Paste one or more certificates in PEM form (-----BEGIN CERTIFICATE----- …)";
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (error) {
      return `Certificate ${index + 1} cannot be read: ${(error as Error).message}`;
    }
  }
  return undefined;
}
