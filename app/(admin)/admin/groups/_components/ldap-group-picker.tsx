"use client";

import Link from "next/link";
import { useId, useState, useTransition, type FormEvent } from "react";
import { Dialog } from "@/app/_components/dialog";
import { Button, FormError, inputClass } from "@/app/_components/ui";
import type { ActionResult } from "@/lib/action-result";
import { searchLdapGroupsAction, type LdapGroupSearchOutcome } from "../actions";

export interface PickerConfig {
  id: string;
  name: string;
  enabled: boolean;
}

/** Shown instead of the picker button when no directory is configured. */
export function NoLdapConfiguration() {
  return (
    <p className="mt-2 text-sm text-slate-600" data-testid="ldap-picker-unavailable">
      No LDAP configuration exists yet, so there is no directory to search. Type the DN, or{" "}
      <Link href="/admin/authentication/ldap" className="text-blue-700 underline">
        add an LDAP configuration
      </Link>{" "}
      first.
    </p>
  );
}

/**
 * Searches a configured directory for groups and hands the chosen DN to the form. Rendered
 * outside the group form, so its own <form> is not nested.
 */
export function LdapGroupPicker({
  configs,
  open,
  onClose,
  onPick,
}: {
  configs: PickerConfig[];
  open: boolean;
  onClose: () => void;
  onPick: (dn: string, configId: string) => void;
}) {
  const ids = useId();
  const [configId, setConfigId] = useState(configs.find((config) => config.enabled)?.id ?? configs[0]?.id ?? "");
  const [text, setText] = useState("");
  const [result, setResult] = useState<ActionResult<LdapGroupSearchOutcome> | undefined>();
  // The configuration the shown results came from, even if the select changed since.
  const [searchedConfigId, setSearchedConfigId] = useState(configId);
  const [pending, startTransition] = useTransition();

  function search(event: FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      setSearchedConfigId(configId);
      setResult(await searchLdapGroupsAction({ configId, text }));
    });
  }

  const fieldError = result && !result.ok ? (result.fieldErrors?.configId ?? result.fieldErrors?.text) : undefined;

  return (
    <Dialog open={open} onClose={onClose} title="Find a directory group" wide>
      <form onSubmit={search} className="flex flex-wrap items-end gap-3" noValidate>
        <div className="min-w-48">
          <label htmlFor={`${ids}-config`} className="block text-sm font-medium">
            Configuration
          </label>
          <select
            id={`${ids}-config`}
            className={inputClass}
            value={configId}
            onChange={(event) => setConfigId(event.target.value)}
          >
            {configs.map((config) => (
              <option key={config.id} value={config.id}>
                {config.name}
                {config.enabled ? "" : " (disabled)"}
              </option>
            ))}
          </select>
        </div>
        <div className="min-w-48 flex-1">
          <label htmlFor={`${ids}-text`} className="block text-sm font-medium">
            Group name contains
          </label>
          <input
            id={`${ids}-text`}
            className={inputClass}
            value={text}
            onChange={(event) => setText(event.target.value)}
            placeholder="e.g. kasm"
            autoFocus
          />
        </div>
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Searching…" : "Search"}
        </Button>
      </form>

      <div className="mt-4" aria-live="polite">
        {fieldError && <FormError message={fieldError} />}
        {result && !result.ok && !fieldError && <FormError message={result.formError ?? "The search failed."} />}
        {result?.ok && !result.data.found && (
          <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            <p className="font-medium">{result.data.message}</p>
            {result.data.detail && <p className="mt-1">{result.data.detail}</p>}
            <p className="mt-1">{result.data.hint}</p>
            {result.data.serverDiagnostic && (
              <p className="mt-1 font-mono text-xs">Server said: {result.data.serverDiagnostic}</p>
            )}
          </div>
        )}
        {result?.ok && result.data.found && result.data.groups.length === 0 && (
          <p className="text-sm text-slate-600">
            No group under {result.data.searchBase} has a name containing “{text.trim()}”. Try a shorter text, or leave
            it empty to list groups.
          </p>
        )}
        {result?.ok && result.data.found && result.data.groups.length > 0 && (
          <ul
            className="max-h-80 divide-y divide-slate-100 overflow-y-auto rounded-md border border-slate-200"
            aria-label="Matching directory groups"
          >
            {result.data.groups.map((group) => (
              <li key={group.dn}>
                <button
                  type="button"
                  className="w-full px-3 py-2 text-left hover:bg-slate-50 focus-visible:bg-blue-50 focus-visible:outline-none"
                  onClick={() => {
                    onPick(group.dn, searchedConfigId);
                    onClose();
                  }}
                >
                  <span className="block font-medium">{group.name}</span>
                  <span className="block break-all font-mono text-xs text-slate-600">{group.dn}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Dialog>
  );
}
