"use client";

import {
  startAuthentication,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/browser";

type Options<T> = { ok: true; data: T } | { ok: false; formError?: string };

/** The browser's part of a passkey ceremony; a cancelled prompt is an answer, not a crash. */
export async function registerPasskey(
  options: () => Promise<Options<PublicKeyCredentialCreationOptionsJSON>>,
): Promise<{ ok: true; response: Awaited<ReturnType<typeof startRegistration>> } | { ok: false; message: string }> {
  const begun = await options();
  if (!begun.ok) return { ok: false, message: begun.formError ?? "The passkey could not be set up." };
  try {
    return { ok: true, response: await startRegistration({ optionsJSON: begun.data }) };
  } catch {
    return { ok: false, message: "No passkey was created: the prompt was cancelled or timed out." };
  }
}

export async function answerWithPasskey(
  options: () => Promise<Options<PublicKeyCredentialRequestOptionsJSON>>,
): Promise<{ ok: true; response: Awaited<ReturnType<typeof startAuthentication>> } | { ok: false; message: string }> {
  const begun = await options();
  if (!begun.ok) return { ok: false, message: begun.formError ?? "The passkey could not be used." };
  try {
    return { ok: true, response: await startAuthentication({ optionsJSON: begun.data }) };
  } catch {
    return { ok: false, message: "No passkey answered: the prompt was cancelled or timed out." };
  }
}
