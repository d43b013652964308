"use client";

import { useState } from "react";
import { Button } from "@/app/_components/ui";
import type { ProbeResult } from "@/lib/ldap";
import { PRESETS, type Preset } from "@/lib/ldap/presets";
import { detectDirectoryAction } from "../actions";
import type { ConfigForm } from "./ldap-config-fields";

/** What Detect found, in one sentence, with the preset that fits. */
function detectedNotice(probe: ProbeResult): string {
  const preset = probe.suggestedPreset ? PRESETS[probe.suggestedPreset] : undefined;
  const facts = [
    probe.vendorName ?? probe.vendor,
    probe.namingContexts[0] ? `naming context ${probe.namingContexts[0]}` : "",
    probe.supportsPagedResults ? "paged results" : "no paged results",
    probe.inChainRule ? "AD in-chain rule available" : "no AD in-chain rule",
  ].filter(Boolean);
  return `Detected: ${facts.join(", ")}.${preset ? ` Suggested preset: ${preset.label}.` : ""}`;
}

/** The presets of the three directories, and Detect, which reads the RootDSE and suggests one. */
export function PresetBar({ id, form }: { id?: string; form: ConfigForm }) {
  const [notice, setNotice] = useState<string | undefined>();
  const [detecting, setDetecting] = useState(false);
  const { setValue, getValues, setError } = form;

  function applyPreset(preset: Preset) {
    for (const [key, value] of Object.entries(preset.values))
      setValue(key as keyof Preset["values"], value as never, { shouldDirty: true });
    setNotice(`${preset.label} preset applied. ${preset.note}`);
  }

  async function detect() {
    setDetecting(true);
    setNotice(undefined);
    const result = await detectDirectoryAction({ id, values: getValues() });
    setDetecting(false);
    if (!result.ok)
      return setError("root.server", { message: `Detect failed: ${result.formError ?? "unknown error"}` });
    const probe = result.data;
    const namingContext = probe.defaultNamingContext ?? probe.namingContexts[0];
    if (!getValues("searchBase") && namingContext) setValue("searchBase", namingContext, { shouldDirty: true });
    setNotice(detectedNotice(probe));
  }

  return (
    <>
      <div className="mb-4 flex flex-wrap items-center gap-2 text-sm">
        <span className="text-slate-600">Presets:</span>
        {Object.values(PRESETS).map((preset) => (
          <Button key={preset.id} onClick={() => applyPreset(preset)}>
            {preset.label}
          </Button>
        ))}
        <Button onClick={detect} disabled={detecting}>
          {detecting ? "Detecting…" : "Detect"}
        </Button>
      </div>
      {notice && (
        <p role="status" className="mb-4 rounded-md bg-blue-50 px-3 py-2 text-sm text-blue-900">
          {notice}
        </p>
      )}
    </>
  );
}
