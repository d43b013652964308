"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/action-result";
import { Button, Field, fieldProps, FormError } from "../ui";

/** Adds an authenticator app: scan the QR code (or type the key), name it, confirm with its first code. */
export function TotpSetup({
  qrCode,
  secret,
  enrol,
  onEnrolled,
}: {
  qrCode: string;
  secret: string;
  enrol: (input: { code: string; name: string }) => Promise<ActionResult<string[]>>;
  onEnrolled: (recoveryCodes: string[]) => void;
}) {
  const [name, setName] = useState("Authenticator app");
  const [code, setCode] = useState("");
  const [errors, setErrors] = useState<{ code?: string; name?: string; form?: string }>({});
  const [pending, startTransition] = useTransition();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await enrol({ code, name });
      if (result.ok) onEnrolled(result.data);
      else setErrors({ ...result.fieldErrors, form: result.formError });
    });
  }

  return (
    <form onSubmit={submit} noValidate className="mt-4 space-y-4">
      {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL made on the server */}
      <img src={qrCode} alt="QR code of the key for your authenticator app" width={200} height={200} />
      <p className="text-sm">
        Or type this key into the app: <code data-testid="totp-secret">{secret}</code>
      </p>
      <Field id="factor-name" label="Name" error={errors.name}>
        <input {...fieldProps("factor-name", errors.name)} value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field id="totp-code" label="Code from the app" error={errors.code}>
        <input
          {...fieldProps("totp-code", errors.code)}
          inputMode="numeric"
          autoComplete="one-time-code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </Field>
      <FormError message={errors.form} />
      <Button type="submit" variant="primary" disabled={pending}>
        {pending ? "Checking…" : "Confirm app"}
      </Button>
    </form>
  );
}
