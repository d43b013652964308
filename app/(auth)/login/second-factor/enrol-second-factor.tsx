"use client";

import { useState, useTransition } from "react";
import { registerPasskey } from "@/app/_components/second-factor/passkey";
import { RecoveryCodes } from "@/app/_components/second-factor/recovery-codes";
import { TotpSetup } from "@/app/_components/second-factor/totp-setup";
import { Button, FormError } from "@/app/_components/ui";
import { enrolPasskeyAction, enrolTotpAction, passkeyRegistrationOptionsAction } from "./actions";
import { finishSignIn } from "./finish-sign-in";

/** Enrolment at sign-in: an app or a passkey, then the recovery codes, then the session. */
export function EnrolSecondFactor({
  callbackUrl,
  qrCode,
  secret,
}: {
  callbackUrl: string;
  qrCode: string;
  secret: string;
}) {
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const [formError, setFormError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function passkey() {
    setFormError(undefined);
    startTransition(async () => {
      const answer = await registerPasskey(passkeyRegistrationOptionsAction);
      if (!answer.ok) return setFormError(answer.message);
      const result = await enrolPasskeyAction({ response: answer.response, name: "Passkey" });
      if (result.ok) setRecoveryCodes(result.data);
      else setFormError(result.formError ?? result.fieldErrors?.name);
    });
  }

  function finish() {
    startTransition(async () => setFormError(await finishSignIn(callbackUrl)));
  }

  if (recoveryCodes)
    return (
      <>
        <RecoveryCodes codes={recoveryCodes} onDone={finish} doneLabel="Continue" />
        <FormError message={formError} />
      </>
    );

  return (
    <div className="mt-4 space-y-6">
      <section aria-labelledby="app-heading">
        <h2 id="app-heading" className="font-medium">
          Authenticator app
        </h2>
        <TotpSetup qrCode={qrCode} secret={secret} enrol={enrolTotpAction} onEnrolled={setRecoveryCodes} />
      </section>
      <section aria-labelledby="passkey-heading">
        <h2 id="passkey-heading" className="font-medium">
          Passkey
        </h2>
        <p className="mt-1 text-sm text-slate-600">A security key, or this device&apos;s fingerprint or face unlock.</p>
        <Button onClick={passkey} disabled={pending} className="mt-2">
          Set up a passkey
        </Button>
      </section>
      <FormError message={formError} />
    </div>
  );
}
