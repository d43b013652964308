"use client";

import { useRouter } from "next/navigation";
import { startTransition } from "react";

/**
 * A page that failed on the server (most often: the database cannot be reached). The browser gets
 * Next's digest of the error, never its message or stack; the server log has the cause.
 */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  // The page failed on the server: render it there again, not just this boundary's children.
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  return (
    <main className="mx-auto mt-24 max-w-md rounded-lg border border-slate-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-xl font-semibold">This page could not be shown</h1>
      <p className="mt-2 text-slate-600">
        The portal could not complete the request, most often because it cannot reach its database right now. Try again
        in a moment; if it keeps failing, your administrator will find the cause in the server log.
      </p>
      {error.digest ? <p className="mt-2 text-xs text-slate-500">Reference: {error.digest}</p> : null}
      <button type="button" onClick={retry} className="mt-6 text-blue-700 underline">
        Try again
      </button>
    </main>
  );
}
