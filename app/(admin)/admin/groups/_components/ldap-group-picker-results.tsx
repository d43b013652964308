import { FormError } from "@/app/_components/ui";
import type { ActionResult } from "@/lib/action-result";
import type { LdapGroupSearchOutcome } from "../actions";

type Found = Extract<LdapGroupSearchOutcome, { found: true }>;
type NotFound = Extract<LdapGroupSearchOutcome, { found: false }>;

/** Why the directory could not be searched, with the server's own words when it gave some. */
function SearchRefused({ outcome }: { outcome: NotFound }) {
  return (
    <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
      <p className="font-medium">{outcome.message}</p>
      {outcome.detail && <p className="mt-1">{outcome.detail}</p>}
      <p className="mt-1">{outcome.hint}</p>
      {outcome.serverDiagnostic && <p className="mt-1 font-mono text-xs">Server said: {outcome.serverDiagnostic}</p>}
    </div>
  );
}

/** The groups found, each a button that chooses its DN. */
function FoundGroups({ groups, onChoose }: { groups: Found["groups"]; onChoose: (dn: string) => void }) {
  return (
    <ul
      className="max-h-80 divide-y divide-slate-100 overflow-y-auto rounded-md border border-slate-200"
      aria-label="Matching directory groups"
    >
      {groups.map((group) => (
        <li key={group.dn}>
          <button
            type="button"
            className="w-full px-3 py-2 text-left hover:bg-slate-50 focus-visible:bg-blue-50 focus-visible:outline-none"
            onClick={() => onChoose(group.dn)}
          >
            <span className="block font-medium">{group.name}</span>
            <span className="block break-all font-mono text-xs text-slate-600">{group.dn}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** What the last search gave: an error, a refusal, no match, or the groups to choose from. */
export function PickerResults({
  result,
  text,
  onChoose,
}: {
  result: ActionResult<LdapGroupSearchOutcome> | undefined;
  text: string;
  onChoose: (dn: string) => void;
}) {
  const fieldError = result && !result.ok ? (result.fieldErrors?.configId ?? result.fieldErrors?.text) : undefined;
  return (
    <div className="mt-4" aria-live="polite">
      {fieldError && <FormError message={fieldError} />}
      {result && !result.ok && !fieldError && <FormError message={result.formError ?? "The search failed."} />}
      {result?.ok && !result.data.found && <SearchRefused outcome={result.data} />}
      {result?.ok && result.data.found && result.data.groups.length === 0 && (
        <p className="text-sm text-slate-600">
          No group under {result.data.searchBase} has a name containing “{text.trim()}”. Try a shorter text, or leave it
          empty to list groups.
        </p>
      )}
      {result?.ok && result.data.found && result.data.groups.length > 0 && (
        <FoundGroups groups={result.data.groups} onChoose={onChoose} />
      )}
    </div>
  );
}
