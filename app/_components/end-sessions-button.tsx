"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/action-result";
import { Button, FormError, Notice } from "./ui";

/** Ends sessions through `action` and says how many ended. */
export function EndSessionsButton({
  action,
  label,
  disabled = false,
}: {
  action: () => Promise<ActionResult<{ ended: number }>>;
  label: string;
  disabled?: boolean;
}) {
  const router = useRouter();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function run() {
    setNotice(undefined);
    setError(undefined);
    startTransition(async () => {
      const result = await action();
      if (!result.ok) {
        setError(result.formError ?? "The sessions could not be ended. Try again.");
        return;
      }
      setNotice(result.data.ended === 1 ? "1 session ended." : `${result.data.ended} sessions ended.`);
      router.refresh();
    });
  }

  return (
    <div className="mt-4 space-y-3">
      {notice && <Notice>{notice}</Notice>}
      <FormError message={error} />
      <Button variant="danger" onClick={run} disabled={pending || disabled}>
        {pending ? "Signing out…" : label}
      </Button>
    </div>
  );
}
