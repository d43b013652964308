"use client";

import { useState, useTransition } from "react";
import { removeMembershipAction } from "../actions";

/** The × on a manual membership badge; the page re-renders without it on success. */
export function RemoveMembershipButton({
  userId,
  username,
  groupId,
  groupName,
}: {
  userId: string;
  username: string;
  groupId: string;
  groupName: string;
}) {
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  return (
    <>
      <button
        type="button"
        disabled={pending}
        aria-label={`Remove ${username} from ${groupName}`}
        title={`Remove from ${groupName}`}
        className="ml-1 rounded px-1 leading-none text-slate-500 hover:bg-slate-200 hover:text-red-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-600 disabled:opacity-50"
        onClick={() =>
          startTransition(async () => {
            setError(undefined);
            const result = await removeMembershipAction({ userId, groupId });
            if (!result.ok) setError(result.formError ?? "The membership could not be removed.");
          })
        }
      >
        {pending ? "…" : "×"}
      </button>
      {error && (
        <span role="alert" className="mt-1 block text-xs text-red-700">
          {error}
        </span>
      )}
    </>
  );
}
