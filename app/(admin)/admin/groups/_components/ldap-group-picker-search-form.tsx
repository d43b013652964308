import type { FormEvent } from "react";
import { Button, inputClass } from "@/app/_components/ui";
import type { PickerConfig } from "./ldap-group-picker";

/** The picker's search: which configuration to search, and the text group names contain. */
export function PickerSearchForm({
  ids,
  configs,
  configId,
  onConfigChange,
  text,
  onTextChange,
  pending,
  onSearch,
}: {
  /** The prefix of the inputs' ids. */
  ids: string;
  configs: PickerConfig[];
  configId: string;
  onConfigChange: (configId: string) => void;
  text: string;
  onTextChange: (text: string) => void;
  pending: boolean;
  onSearch: (event: FormEvent) => void;
}) {
  return (
    <form onSubmit={onSearch} className="flex flex-wrap items-end gap-3" noValidate>
      <div className="min-w-48">
        <label htmlFor={`${ids}-config`} className="block text-sm font-medium">
          Configuration
        </label>
        <select
          id={`${ids}-config`}
          className={inputClass}
          value={configId}
          onChange={(event) => onConfigChange(event.target.value)}
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
          onChange={(event) => onTextChange(event.target.value)}
          placeholder="e.g. kasm"
          autoFocus
        />
      </div>
      <Button type="submit" variant="primary" disabled={pending}>
        {pending ? "Searching…" : "Search"}
      </Button>
    </form>
  );
}
