"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Dialog } from "@/app/_components/dialog";
import { Button, FormError, Notice } from "@/app/_components/ui";
import { deleteUserAction, disableUserAction, enableUserAction } from "../actions";

/** Disable / enable and delete (with confirmation). The actions refuse the admin's own account. */
export function AccountActions({
  userId,
  username,
  disabled,
}: {
  userId: string;
  username: string;
  disabled: boolean;
}) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [deleteError, setDeleteError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const [deleting, startDelete] = useTransition();

  function toggle() {
    setError(undefined);
    setNotice(undefined);
    startTransition(async () => {
      const result = disabled ? await enableUserAction({ userId }) : await disableUserAction({ userId });
      if (!result.ok) setError(result.formError ?? "The change could not be saved.");
      else
        setNotice(
          disabled
            ? `${username} is enabled and can sign in again.`
            : `${username} is disabled and can no longer sign in.`,
        );
    });
  }

  function remove() {
    setDeleteError(undefined);
    startDelete(async () => {
      const result = await deleteUserAction({ userId });
      if (!result.ok) {
        setDeleteError(result.formError ?? "The user could not be deleted.");
        return;
      }
      setConfirming(false);
      router.push(`/admin/users?notice=deleted&name=${encodeURIComponent(result.data.username)}`);
    });
  }

  return (
    <div className="space-y-3">
      {notice && <Notice>{notice}</Notice>}
      <FormError message={error} />
      <div className="flex flex-wrap gap-2">
        <Button onClick={toggle} disabled={pending}>
          {pending ? "Saving…" : disabled ? "Enable account" : "Disable account"}
        </Button>
        <Button
          variant="danger"
          onClick={() => {
            setDeleteError(undefined);
            setConfirming(true);
          }}
        >
          Delete user
        </Button>
      </div>
      <Dialog open={confirming} onClose={() => setConfirming(false)} title={`Delete ${username}?`}>
        <p className="text-sm">
          The account and its group memberships are removed; its audit events stay. An LDAP user whose configuration
          auto-creates accounts is created again at the next sign-in.
        </p>
        <div className="mt-4 space-y-3">
          <FormError message={deleteError} />
          <div className="flex justify-end gap-2">
            <Button onClick={() => setConfirming(false)} autoFocus>
              Cancel
            </Button>
            <Button variant="danger" onClick={remove} disabled={deleting}>
              {deleting ? "Deleting…" : "Delete user"}
            </Button>
          </div>
        </div>
      </Dialog>
    </div>
  );
}
