"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { registerPasskey } from "@/app/_components/second-factor/passkey";
import { RecoveryCodes } from "@/app/_components/second-factor/recovery-codes";
import { TotpSetup } from "@/app/_components/second-factor/totp-setup";
import { Button, DateTime, FormError } from "@/app/_components/ui";
import {
  addPasskeyAction,
  addTotpAction,
  beginTotpAction,
  passkeyOptionsAction,
  regenerateRecoveryCodesAction,
  removeFactorAction,
  renameFactorAction,
} from "./second-factor-actions";

export interface FactorRow {
  id: string;
  kind: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const KIND_LABEL: Record<string, string> = { totp: "Authenticator app", passkey: "Passkey" };

/** The user's own factors: add an app or a passkey, rename, remove, new recovery codes. */
export function SecondFactorsSection({
  factors,
  recoveryCodesLeft,
  required,
}: {
  factors: FactorRow[];
  recoveryCodesLeft: number;
  required: boolean;
}) {
  const router = useRouter();
  const [totp, setTotp] = useState<{ secret: string; seal: string; spaced: string; qrCode: string }>();
  const [codes, setCodes] = useState<string[]>();
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  const run = (work: () => Promise<void>) => {
    setError(undefined);
    startTransition(work);
  };
  const enrolled = (recoveryCodes: string[]) => {
    setTotp(undefined);
    if (recoveryCodes.length > 0) setCodes(recoveryCodes);
    router.refresh();
  };

  if (codes) return <RecoveryCodes codes={codes} onDone={() => setCodes(undefined)} doneLabel="Done" />;

  return (
    <div className="mt-4 space-y-4">
      <p className="text-sm text-slate-600">
        {required
          ? "Your groups require a second factor at sign-in."
          : "A second factor at sign-in is optional for you: once you add one, every sign-in asks for it."}
      </p>
      {factors.length === 0 ? (
        <p className="text-sm text-slate-600">No second factor yet.</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-slate-500">
            <tr>
              <th className="py-1 font-normal">Name</th>
              <th className="py-1 font-normal">Kind</th>
              <th className="py-1 font-normal">Added</th>
              <th className="py-1 font-normal">Last used</th>
              <th className="py-1 font-normal">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {factors.map((factor) => (
              <FactorItem key={factor.id} factor={factor} onError={setError} />
            ))}
          </tbody>
        </table>
      )}
      {factors.length > 0 && (
        <p className="text-sm" data-testid="recovery-codes-left">
          {recoveryCodesLeft} of 10 recovery codes left.
        </p>
      )}
      <FormError message={error} />
      {totp ? (
        <TotpSetup
          qrCode={totp.qrCode}
          secret={totp.spaced}
          enrol={(input) => addTotpAction({ ...input, secret: totp.secret, seal: totp.seal })}
          onEnrolled={enrolled}
        />
      ) : (
        <div className="flex flex-wrap gap-2">
          <Button
            disabled={pending}
            onClick={() =>
              run(async () => {
                const begun = await beginTotpAction();
                if (begun.ok) setTotp(begun.data);
              })
            }
          >
            Add authenticator app
          </Button>
          <Button
            disabled={pending}
            onClick={() =>
              run(async () => {
                const answer = await registerPasskey(passkeyOptionsAction);
                if (!answer.ok) return setError(answer.message);
                const result = await addPasskeyAction({ response: answer.response, name: "Passkey" });
                if (result.ok) enrolled(result.data);
                else setError(result.formError ?? result.fieldErrors?.name);
              })
            }
          >
            Add passkey
          </Button>
          {factors.length > 0 && (
            <Button
              disabled={pending}
              onClick={() =>
                run(async () => {
                  const result = await regenerateRecoveryCodesAction();
                  if (result.ok) setCodes(result.data);
                  else setError(result.formError);
                })
              }
            >
              New recovery codes
            </Button>
          )}
        </div>
      )}
    </div>
  );
}

function FactorItem({ factor, onError }: { factor: FactorRow; onError: (message?: string) => void }) {
  const [name, setName] = useState(factor.name);
  const [renaming, setRenaming] = useState(false);
  const [pending, startTransition] = useTransition();
  const label = `${factor.name} (${KIND_LABEL[factor.kind] ?? factor.kind})`;

  return (
    <tr className="border-t border-slate-100" data-testid="factor-row">
      <td className="py-2">
        {renaming ? (
          <form
            className="flex gap-2"
            onSubmit={(event) => {
              event.preventDefault();
              startTransition(async () => {
                const result = await renameFactorAction({ factorId: factor.id, name });
                if (result.ok) setRenaming(false);
                onError(result.ok ? undefined : (result.fieldErrors?.name ?? result.formError));
              });
            }}
          >
            <label htmlFor={`rename-${factor.id}`} className="sr-only">
              New name for {label}
            </label>
            <input
              id={`rename-${factor.id}`}
              className="rounded-md border border-slate-300 px-2 py-1"
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
            <Button type="submit" disabled={pending}>
              Save
            </Button>
          </form>
        ) : (
          <span className="font-medium">{factor.name}</span>
        )}
      </td>
      <td className="py-2">{KIND_LABEL[factor.kind] ?? factor.kind}</td>
      <td className="py-2">
        <DateTime value={factor.createdAt} />
      </td>
      <td className="py-2">
        <DateTime value={factor.lastUsedAt} fallback="never" />
      </td>
      <td className="space-x-2 py-2 text-right">
        {!renaming && (
          <Button aria-label={`Rename ${label}`} onClick={() => setRenaming(true)}>
            Rename
          </Button>
        )}
        <Button
          variant="danger"
          aria-label={`Remove ${label}`}
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              const result = await removeFactorAction({ factorId: factor.id });
              onError(result.ok ? undefined : result.formError);
            })
          }
        >
          Remove
        </Button>
      </td>
    </tr>
  );
}
