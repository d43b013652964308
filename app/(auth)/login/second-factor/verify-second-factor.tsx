"use client";

import { useState, useTransition } from "react";
import { answerWithPasskey } from "@/app/_components/second-factor/passkey";
import { Button, Field, fieldProps, FormError } from "@/app/_components/ui";
import { passkeySignInOptionsAction, verifyCodeAction, verifyPasskeyAction } from "./actions";
import { finishSignIn } from "./finish-sign-in";

/** The second step of a user with a factor: a code (app or recovery) or a passkey. */
export function VerifySecondFactor({
  callbackUrl,
  hasApp,
  hasPasskey,
}: {
  callbackUrl: string;
  hasApp: boolean;
  hasPasskey: boolean;
}) {
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [pending, startTransition] = useTransition();

  const finish = async () => setFormError(await finishSignIn(callbackUrl));

  function submitCode(event: React.FormEvent) {
    event.preventDefault();
    setFormError(undefined);
    startTransition(async () => {
      const result = await verifyCodeAction({ code });
      if (result.ok) await finish();
      else {
        setCodeError(result.fieldErrors?.code);
        setFormError(result.formError);
      }
    });
  }

  function passkey() {
    setFormError(undefined);
    startTransition(async () => {
      const answer = await answerWithPasskey(passkeySignInOptionsAction);
      if (!answer.ok) return setFormError(answer.message);
      const result = await verifyPasskeyAction(answer.response);
      if (result.ok) await finish();
      else setFormError(result.formError);
    });
  }

  return (
    <div className="mt-6 space-y-4">
      {hasPasskey && (
        <Button variant="primary" onClick={passkey} disabled={pending} className="w-full justify-center">
          Use a passkey
        </Button>
      )}
      <form onSubmit={submitCode} noValidate className="space-y-4">
        <Field id="code" label={hasApp ? "Code from your app, or a recovery code" : "Recovery code"} error={codeError}>
          <input
            {...fieldProps("code", codeError)}
            autoFocus={!hasPasskey}
            autoComplete="one-time-code"
            value={code}
            onChange={(event) => setCode(event.target.value)}
          />
        </Field>
        <FormError message={formError} />
        <Button
          type="submit"
          variant={hasPasskey ? "secondary" : "primary"}
          disabled={pending}
          className="w-full justify-center"
        >
          {pending ? "Checking…" : "Verify"}
        </Button>
      </form>
    </div>
  );
}
