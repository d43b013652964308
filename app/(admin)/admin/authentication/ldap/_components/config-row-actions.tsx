"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Dialog } from "@/app/_components/dialog";
import { Button, LinkButton } from "@/app/_components/ui";
import {
  deleteLdapConfigAction,
  setLdapConfigEnabledAction,
  syncLdapConfigAction,
  testSavedLdapConfigAction,
} from "../actions";
import { TestDialog } from "./test-dialog";

export function EnabledToggle({ id, name, enabled }: { id: string; name: string; enabled: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | undefined>();
  return (
    <label className="inline-flex items-center gap-2 text-sm">
      <input
        type="checkbox"
        role="switch"
        aria-label={`Enabled: ${name}`}
        checked={enabled}
        disabled={pending}
        onChange={(event) => {
          const next = event.target.checked;
          startTransition(async () => {
            const result = await setLdapConfigEnabledAction({ id, enabled: next });
            setError(result.ok ? undefined : result.formError);
            router.refresh();
          });
        }}
      />
      {pending ? "…" : enabled ? "On" : "Off"}
      {error && <span className="text-red-700">{error}</span>}
    </label>
  );
}

export function ConfigRowActions({ id, name, userCount }: { id: string; name: string; userCount: number }) {
  const router = useRouter();
  const [testing, setTesting] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | undefined>();
  return (
    <div className="flex justify-end gap-1">
      <Button
        variant="ghost"
        aria-label={`Test LDAP Connection: ${name}`}
        title="Test LDAP Connection"
        onClick={() => setTesting(true)}
      >
        <span aria-hidden>⚡</span> Test
      </Button>
      <SyncButtons id={id} name={name} />
      <LinkButton variant="ghost" href={`/admin/authentication/ldap/${id}/edit`} aria-label={`Edit ${name}`}>
        Edit
      </LinkButton>
      <Button variant="ghost" aria-label={`Delete ${name}`} onClick={() => setConfirming(true)}>
        Delete
      </Button>
      <TestDialog
        open={testing}
        onClose={() => {
          setTesting(false);
          router.refresh();
        }}
        title={`Test LDAP Connection: ${name}`}
        run={(input) => testSavedLdapConfigAction({ id, test: input })}
      />
      <Dialog open={confirming} onClose={() => setConfirming(false)} title={`Delete "${name}"?`}>
        <p className="text-sm">
          {userCount === 0
            ? "No user has signed in through this configuration yet."
            : `${userCount} user${userCount === 1 ? "" : "s"} came from this configuration. They will be disabled and lose their LDAP-synced groups; their accounts, manual groups and audit history are kept.`}{" "}
          Logins for its domains will no longer reach this directory.
        </p>
        {error && (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {error}
          </p>
        )}
        <div className="mt-4 flex justify-end gap-2">
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
          <Button
            variant="danger"
            disabled={deleting}
            onClick={async () => {
              setDeleting(true);
              const result = await deleteLdapConfigAction({ id });
              setDeleting(false);
              if (!result.ok) return setError(result.formError);
              setConfirming(false);
              router.refresh();
            }}
          >
            {deleting ? "Deleting…" : "Delete Configuration"}
          </Button>
        </div>
      </Dialog>
    </div>
  );
}

/** Runs a sync (Sync Now, Preview or Apply anyway), then shows the run on the Sync history page. */
function useSyncRun(id: string) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | undefined>();
  const run = (mode: "sync" | "preview" | "apply_held") =>
    startTransition(async () => {
      const result = await syncLdapConfigAction({ id, mode });
      if (!result.ok) return setError(result.formError);
      router.push(`/admin/authentication/ldap/${id}/sync?run=${result.data.runId}`);
    });
  return { pending, error, run };
}

function SyncError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <span role="alert" className="text-sm text-red-700">
      {message}
    </span>
  );
}

/** Sync Now and Preview, and the configuration's Sync history. */
export function SyncButtons({ id, name }: { id: string; name: string }) {
  const { pending, error, run } = useSyncRun(id);
  return (
    <>
      <Button variant="ghost" disabled={pending} aria-label={`Sync Now: ${name}`} onClick={() => run("sync")}>
        Sync Now
      </Button>
      <Button variant="ghost" disabled={pending} aria-label={`Preview sync: ${name}`} onClick={() => run("preview")}>
        Preview
      </Button>
      <LinkButton variant="ghost" href={`/admin/authentication/ldap/${id}/sync`} aria-label={`Sync history: ${name}`}>
        History
      </LinkButton>
      <SyncError message={error} />
    </>
  );
}

/** Applies a held run's changes anyway, after review (a fresh run past the Max Disable Share). */
export function ApplyHeldButton({ id }: { id: string }) {
  const { pending, error, run } = useSyncRun(id);
  return (
    <span className="flex items-center gap-2">
      <Button variant="primary" disabled={pending} onClick={() => run("apply_held")}>
        {pending ? "Applying…" : "Apply anyway"}
      </Button>
      <SyncError message={error} />
    </span>
  );
}
