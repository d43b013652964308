"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Dialog } from "@/app/_components/dialog";
import { Button, FormError } from "@/app/_components/ui";
import { deleteGroupAction } from "../actions";

/** Delete with a confirmation dialog; only rendered for custom groups (the action refuses system ones too). */
export function DeleteGroupButton({
  groupId,
  name,
  memberCount,
}: {
  groupId: string;
  name: string;
  memberCount: number;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function confirm() {
    setError(undefined);
    startTransition(async () => {
      const result = await deleteGroupAction({ id: groupId });
      if (!result.ok) {
        setError(result.formError ?? "The group could not be deleted.");
        return;
      }
      setOpen(false);
      router.push(`/admin/groups?notice=deleted&name=${encodeURIComponent(result.data.name)}`);
    });
  }

  return (
    <>
      <Button variant="ghost" className="text-red-700" aria-label={`Delete ${name}`} onClick={() => setOpen(true)}>
        Delete
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Delete ${name}?`}>
        <p className="text-sm">
          The group, its LDAP mappings and its settings are removed.{" "}
          {memberCount > 0
            ? `Its ${memberCount} member${memberCount === 1 ? "" : "s"} lose the membership and its settings.`
            : "It has no members."}{" "}
          This cannot be undone.
        </p>
        <div className="mt-4 space-y-3">
          <FormError message={error} />
          <div className="flex justify-end gap-2">
            <Button onClick={() => setOpen(false)} autoFocus>
              Cancel
            </Button>
            <Button variant="danger" onClick={confirm} disabled={pending}>
              {pending ? "Deleting…" : "Delete group"}
            </Button>
          </div>
        </div>
      </Dialog>
    </>
  );
}
