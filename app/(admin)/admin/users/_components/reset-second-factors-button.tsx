"use client";

import { useState, useTransition } from "react";
import { Dialog } from "@/app/_components/dialog";
import { Button, FormError } from "@/app/_components/ui";
import { resetSecondFactorsAction } from "../actions";

/** Reset with confirmation: the user loses every factor and recovery code and enrols again. */
export function ResetSecondFactorsButton({ userId, username }: { userId: string; username: string }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  return (
    <div className="mt-4">
      <Button variant="danger" onClick={() => setConfirming(true)}>
        Reset two-factor
      </Button>
      <Dialog open={confirming} onClose={() => setConfirming(false)} title={`Reset two-factor for ${username}?`}>
        <p className="text-sm">
          Every authenticator app, passkey and recovery code of this user is removed. At the next sign-in they set up a
          new second factor before reaching any page.
        </p>
        <div className="mt-4 space-y-3">
          <FormError message={error} />
          <div className="flex justify-end gap-2">
            <Button onClick={() => setConfirming(false)}>Cancel</Button>
            <Button
              variant="danger"
              disabled={pending}
              onClick={() =>
                startTransition(async () => {
                  const result = await resetSecondFactorsAction({ userId });
                  if (result.ok) setConfirming(false);
                  else setError(result.formError ?? "The reset failed. Try again.");
                })
              }
            >
              Reset
            </Button>
          </div>
        </div>
      </Dialog>
    </div>
  );
}
