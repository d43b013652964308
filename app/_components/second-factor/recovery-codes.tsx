"use client";

import { Button } from "../ui";

/** The ten recovery codes, shown once: the user keeps them before going on. */
export function RecoveryCodes({
  codes,
  onDone,
  doneLabel,
}: {
  codes: string[];
  onDone: () => void;
  doneLabel: string;
}) {
  return (
    <div className="mt-4 space-y-3">
      <p className="text-sm">
        Keep these recovery codes somewhere safe. Each signs you in once when your app or passkey is not at hand. They
        are shown only now.
      </p>
      <ol aria-label="Recovery codes" className="grid grid-cols-2 gap-1 rounded-md bg-slate-50 p-3 font-mono text-sm">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <Button variant="primary" onClick={onDone}>
        {doneLabel}
      </Button>
    </div>
  );
}
