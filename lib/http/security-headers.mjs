// The security headers of every response. Plain JavaScript for the custom server
// (scripts/server.mjs); security-headers.d.mts gives TypeScript callers the types.

/** Features the portal never uses: all denied to itself and to anything it could embed. */
const DENIED_FEATURES = [
  "accelerometer",
  "autoplay",
  "camera",
  "display-capture",
  "encrypted-media",
  "geolocation",
  "gyroscope",
  "hid",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "picture-in-picture",
  "screen-wake-lock",
  "serial",
  "usb",
  "xr-spatial-tracking",
];

/**
 * The Content-Security-Policy for one response. Scripts need this response's nonce (Next.js
 * reads it from the request's Content-Security-Policy header and puts it on every script it
 * renders) or must come from this origin; nothing may frame the portal.
 */
export function contentSecurityPolicy(nonce) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // React and Tailwind set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A fresh nonce: 16 random bytes, base64 (the characters Next.js accepts in a nonce). */
export function createNonce(randomBytes) {
  return randomBytes(16).toString("base64");
}

/**
 * Name/value pairs for every response. Strict-Transport-Security only when the public URL is
 * https: sent over plain http it would be ignored, and it would pin a later https setup of
 * the same host name to a certificate the operator may not have yet.
 */
export function securityHeaders({ nonce, publicUrl }) {
  const headers = [
    ["Content-Security-Policy", contentSecurityPolicy(nonce)],
    ["X-Frame-Options", "DENY"],
    ["X-Content-Type-Options", "nosniff"],
    ["Referrer-Policy", "same-origin"],
    ["Permissions-Policy", DENIED_FEATURES.map((feature) => `${feature}=()`).join(", ")],
  ];
  if (isHttps(publicUrl)) headers.push(["Strict-Transport-Security", "max-age=31536000"]);
  return headers;
}

function isHttps(publicUrl) {
  try {
    return new URL(publicUrl).protocol === "https:";
  } catch {
    return false;
  }
}
