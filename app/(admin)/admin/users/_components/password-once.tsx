"use client";

import { useState } from "react";
import { Button } from "@/app/_components/ui";

/** A generated password, shown this once: it is stored only as a hash. */
export function PasswordOnce({ password }: { password: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm">
      <p className="font-medium">Generated password</p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code data-testid="generated-password" className="select-all rounded bg-white px-2 py-1 font-mono text-base">
          {password}
        </code>
        <Button
          onClick={async () => {
            await navigator.clipboard.writeText(password);
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      <p className="mt-2 text-amber-900">
        It is shown only this once. Hand it to the user over a safe channel now; nobody can read it back later.
      </p>
    </div>
  );
}
