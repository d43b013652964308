import { Badge, DateTime } from "@/app/_components/ui";
import { REFUSAL_TEXT, type DirectoryRefusal } from "@/lib/directory-sync/plan";

/** Active, disabled by an administrator, and/or refused by the directory (with the sync's reason). */
export function AccountStatus({
  user,
}: {
  user: { disabled: boolean; directoryRefusal: string | null; directoryRefusalAt: Date | null };
}) {
  if (!user.disabled && !user.directoryRefusal) return <Badge tone="success">Active</Badge>;
  return (
    <span className="inline-flex flex-col gap-1">
      {user.disabled && <Badge tone="danger">Disabled</Badge>}
      {user.directoryRefusal && (
        <>
          <Badge tone="danger">Disabled by directory sync</Badge>
          <span className="text-xs text-slate-600">
            {REFUSAL_TEXT[user.directoryRefusal as DirectoryRefusal] ?? user.directoryRefusal} (since{" "}
            <DateTime value={user.directoryRefusalAt} />)
          </span>
        </>
      )}
    </span>
  );
}
