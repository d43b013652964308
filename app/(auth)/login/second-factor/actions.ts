"use server";

import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";
import type { ActionResult } from "@/lib/action-result";
import { decryptSecret } from "@/lib/crypto";
import { recordAudit } from "@/lib/db/audit";
import { factorsOf, satisfyChallenge, setChallengeEnrolment } from "@/lib/db/second-factors";
import { currentChallenge } from "@/lib/two-factor/challenge";
import {
  checkPasskey,
  checkSecondFactorCode,
  enrolPasskey,
  enrolTotp,
  passkeyRegistrationOptions,
  passkeySignInOptions,
  SECOND_FACTOR_MESSAGES,
} from "@/lib/two-factor/factors";
import { factorNameSchema, secondFactorCodeSchema } from "@/lib/validation/second-factor";

/**
 * The second step of a sign-in. Each action works on this browser's challenge (its cookie) and
 * marks it satisfied when the factor checks out; the page then asks NextAuth for the session.
 * No action trusts a user id from the client.
 */

type Challenge = NonNullable<Awaited<ReturnType<typeof currentChallenge>>>;

const expired = { ok: false as const, formError: SECOND_FACTOR_MESSAGES.expired };

/**
 * This browser's challenge when it is an enrolment: its user has no factor yet. A user who has
 * one proves it; the password alone never adds a factor (nor replaces the recovery codes).
 */
async function enrolmentChallenge() {
  const challenge = await currentChallenge();
  if (!challenge || (await factorsOf(challenge.userId)).factors.length > 0) return undefined;
  return challenge;
}

async function audited(
  challenge: Challenge,
  action: string,
  outcome: "success" | "failure",
  details: Record<string, unknown>,
) {
  await recordAudit({
    actor: challenge.user.username,
    action,
    target: challenge.user.username,
    outcome,
    details: { ...details, clientAddress: challenge.clientAddress },
  });
}

export async function verifyCodeAction(input: { code: string }): Promise<ActionResult> {
  const parsed = secondFactorCodeSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: { code: parsed.error.issues[0]!.message } };
  const challenge = await currentChallenge();
  if (!challenge) return expired;
  const check = await checkSecondFactorCode(challenge.userId, parsed.data.code);
  if (!check.ok) {
    await audited(challenge, "login.second_factor", "failure", {
      reason: check.reason,
    });
    return { ok: false, fieldErrors: { code: check.message } };
  }
  await satisfyChallenge(challenge.id);
  await audited(challenge, "login.second_factor", "success", { factor: check.factor });
  return { ok: true, data: undefined };
}

export async function passkeySignInOptionsAction() {
  const challenge = await currentChallenge();
  if (!challenge) return expired;
  const options = await passkeySignInOptions(challenge.userId);
  await setChallengeEnrolment(challenge.id, { webauthnChallenge: options.challenge });
  return { ok: true as const, data: options };
}

export async function verifyPasskeyAction(response: AuthenticationResponseJSON): Promise<ActionResult> {
  const challenge = await currentChallenge();
  if (!challenge?.webauthnChallenge) return expired;
  const check = await checkPasskey(challenge.userId, response, challenge.webauthnChallenge);
  if (!check.ok) {
    await audited(challenge, "login.second_factor", "failure", { reason: "passkey" });
    return { ok: false, formError: check.message };
  }
  await satisfyChallenge(challenge.id);
  await audited(challenge, "login.second_factor", "success", { factor: "passkey" });
  return { ok: true, data: undefined };
}

const enrolTotpSchema = z.object({ code: z.string(), name: factorNameSchema });

/** Enrolment at sign-in: the app's first code confirms the key the page showed. */
export async function enrolTotpAction(input: { code: string; name: string }): Promise<ActionResult<string[]>> {
  const parsed = enrolTotpSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: { name: parsed.error.issues[0]!.message } };
  const challenge = await enrolmentChallenge();
  if (!challenge?.pendingSecret) return expired;
  const enrolled = await enrolTotp(
    challenge.userId,
    decryptSecret(challenge.pendingSecret),
    parsed.data.code,
    parsed.data.name,
    true,
  );
  if (!enrolled.ok) return { ok: false, fieldErrors: { code: enrolled.message } };
  await satisfyChallenge(challenge.id);
  await audited(challenge, "second_factor.enrol", "success", { kind: "totp", name: parsed.data.name });
  return { ok: true, data: enrolled.recoveryCodes ?? [] };
}

export async function passkeyRegistrationOptionsAction() {
  const challenge = await enrolmentChallenge();
  if (!challenge) return expired;
  const options = await passkeyRegistrationOptions(challenge.user);
  await setChallengeEnrolment(challenge.id, { webauthnChallenge: options.challenge });
  return { ok: true as const, data: options };
}

export async function enrolPasskeyAction(input: {
  response: RegistrationResponseJSON;
  name: string;
}): Promise<ActionResult<string[]>> {
  const name = factorNameSchema.safeParse(input.name);
  if (!name.success) return { ok: false, fieldErrors: { name: name.error.issues[0]!.message } };
  const challenge = await enrolmentChallenge();
  if (!challenge?.webauthnChallenge) return expired;
  const enrolled = await enrolPasskey(challenge.userId, input.response, challenge.webauthnChallenge, name.data, true);
  if (!enrolled.ok) return { ok: false, formError: enrolled.message };
  await satisfyChallenge(challenge.id);
  await audited(challenge, "second_factor.enrol", "success", { kind: "passkey", name: name.data });
  return { ok: true, data: enrolled.recoveryCodes ?? [] };
}
