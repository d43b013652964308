"use client";

import Link from "next/link";
import { useId, useState, useTransition, type FormEvent } from "react";
import { Dialog } from "@/app/_components/dialog";
import type { ActionResult } from "@/lib/action-result";
import { searchLdapGroupsAction, type LdapGroupSearchOutcome } from "../actions";
import { PickerResults } from "./ldap-group-picker-results";
import { PickerSearchForm } from "./ldap-group-picker-search-form";

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

  return (
    <Dialog open={open} onClose={onClose} title="Find a directory group" wide>
      <PickerSearchForm
        ids={ids}
        configs={configs}
        configId={configId}
        onConfigChange={setConfigId}
        text={text}
        onTextChange={setText}
        pending={pending}
        onSearch={search}
      />
      <PickerResults
        result={result}
        text={text}
        onChoose={(dn) => {
          onPick(dn, searchedConfigId);
          onClose();
        }}
      />
    </Dialog>
  );
}
