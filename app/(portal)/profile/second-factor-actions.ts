"use server";

import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { revalidatePath } from "next/cache";
import QRCode from "qrcode";
import { z } from "zod";
import type { ActionResult } from "@/lib/action-result";
import { requireUser, type CurrentUser } from "@/lib/auth/guards";
import { recordAudit } from "@/lib/db/audit";
import {
  factorsOf,
  removeFactor,
  renameFactor,
  replaceRecoveryCodes,
  secondFactorState,
  sessionWebauthnChallenge,
  setSessionWebauthnChallenge,
} from "@/lib/db/second-factors";
import { enrolPasskey, enrolTotp, passkeyRegistrationOptions } from "@/lib/two-factor/factors";
import { isOfferedKey, sealKeyOffer } from "@/lib/two-factor/key-offer";
import { newRecoveryCodes, recoveryCodeHash } from "@/lib/two-factor/recovery-codes";
import { newTotpSecret, spacedSecret, totpUri } from "@/lib/two-factor/totp";
import { factorNameSchema } from "@/lib/validation/second-factor";

/** The signed-in user's own second factors. Every action checks the session itself and acts on that user only. */

async function audited(user: CurrentUser, action: string, details: Record<string, unknown>) {
  await recordAudit({ actor: user.username, action, target: user.username, outcome: "success", details });
}

const done = <T>(data: T): ActionResult<T> => {
  revalidatePath("/profile");
  return { ok: true, data };
};

/** A new key for an app, shown to the user; it is stored only once its first code confirms it. */
export async function beginTotpAction(): Promise<
  ActionResult<{ secret: string; seal: string; spaced: string; qrCode: string }>
> {
  const user = await requireUser();
  const secret = newTotpSecret();
  const qrCode = await QRCode.toDataURL(totpUri(secret, user.username), { margin: 1, width: 200 });
  return {
    ok: true,
    data: { secret, seal: sealKeyOffer(user.sessionId, secret), spaced: spacedSecret(secret), qrCode },
  };
}

const totpSchema = z.object({
  secret: z.string().max(64),
  seal: z.string().max(64),
  code: z.string(),
  name: factorNameSchema,
});

export async function addTotpAction(input: { secret: string; seal: string; code: string; name: string }) {
  const user = await requireUser();
  const parsed = totpSchema.safeParse(input);
  if (!parsed.success) return { ok: false as const, fieldErrors: { name: parsed.error.issues[0]!.message } };
  if (!isOfferedKey(user.sessionId, parsed.data.secret, parsed.data.seal))
    return { ok: false as const, formError: "Start again: the key was not one this page offered." };
  const { factors } = await factorsOf(user.id);
  const enrolled = await enrolTotp(
    user.id,
    parsed.data.secret,
    parsed.data.code,
    parsed.data.name,
    factors.length === 0,
  );
  if (!enrolled.ok) return { ok: false as const, fieldErrors: { code: enrolled.message } };
  await audited(user, "second_factor.enrol", { kind: "totp", name: parsed.data.name });
  return done(enrolled.recoveryCodes ?? []);
}

export async function passkeyOptionsAction() {
  const user = await requireUser();
  const options = await passkeyRegistrationOptions({ id: user.id, username: user.username });
  await setSessionWebauthnChallenge(user.sessionId, options.challenge);
  return { ok: true as const, data: options };
}

export async function addPasskeyAction(input: { response: RegistrationResponseJSON; name: string }) {
  const user = await requireUser();
  const name = factorNameSchema.safeParse(input.name);
  if (!name.success) return { ok: false as const, fieldErrors: { name: name.error.issues[0]!.message } };
  const expected = await sessionWebauthnChallenge(user.sessionId);
  if (!expected) return { ok: false as const, formError: "Start the passkey again." };
  await setSessionWebauthnChallenge(user.sessionId, null);
  const { factors } = await factorsOf(user.id);
  const enrolled = await enrolPasskey(user.id, input.response, expected, name.data, factors.length === 0);
  if (!enrolled.ok) return { ok: false as const, formError: enrolled.message };
  await audited(user, "second_factor.enrol", { kind: "passkey", name: name.data });
  return done(enrolled.recoveryCodes ?? []);
}

const factorSchema = z.object({ factorId: z.string().min(1).max(64), name: factorNameSchema });

export async function renameFactorAction(input: { factorId: string; name: string }): Promise<ActionResult> {
  const user = await requireUser();
  const parsed = factorSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: { name: parsed.error.issues[0]!.message } };
  if (!(await renameFactor(user.id, parsed.data.factorId, parsed.data.name)))
    return { ok: false, formError: "This factor no longer exists." };
  await audited(user, "second_factor.rename", { name: parsed.data.name });
  return done(undefined);
}

export async function removeFactorAction(input: { factorId: string }): Promise<ActionResult> {
  const user = await requireUser();
  const state = await secondFactorState(user.id);
  if (state.required && state.factors <= 1)
    return {
      ok: false,
      formError: "Your groups require a second factor: add another one before you remove this one.",
    };
  if (!(await removeFactor(user.id, String(input.factorId))))
    return { ok: false, formError: "This factor no longer exists." };
  await audited(user, "second_factor.remove", {});
  return done(undefined);
}

/** Ten new codes replace the old ones (used or not), shown this once. */
export async function regenerateRecoveryCodesAction(): Promise<ActionResult<string[]>> {
  const user = await requireUser();
  const { factors } = await factorsOf(user.id);
  if (factors.length === 0) return { ok: false, formError: "Add an app or a passkey first." };
  const codes = newRecoveryCodes();
  await replaceRecoveryCodes(user.id, codes.map(recoveryCodeHash));
  await audited(user, "second_factor.recovery_codes", {});
  return done(codes);
}
