import { Card, DateTime } from "@/app/_components/ui";
import { ResetSecondFactorsButton } from "./reset-second-factors-button";

const KIND_LABEL: Record<string, string> = { totp: "Authenticator app", passkey: "Passkey" };

/** Which second factors the user has; Reset removes them all and makes the next sign-in enrol. */
export function UserSecondFactorsCard({
  userId,
  username,
  factors,
  recoveryCodesLeft,
  resetAt,
}: {
  userId: string;
  username: string;
  factors: { id: string; kind: string; name: string; createdAt: Date; lastUsedAt: Date | null }[];
  recoveryCodesLeft: number;
  resetAt: Date | null;
}) {
  return (
    <Card aria-labelledby="second-factors-heading">
      <h2 id="second-factors-heading" className="text-lg font-medium">
        Two-factor sign-in
      </h2>
      {factors.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">
          No second factor.
          {resetAt && (
            <>
              {" "}
              Reset <DateTime value={resetAt} />: the next sign-in enrols one.
            </>
          )}
        </p>
      ) : (
        <>
          <ul className="mt-3 space-y-1 text-sm">
            {factors.map((factor) => (
              <li key={factor.id} data-testid="admin-factor">
                <span className="font-medium">{factor.name}</span> ({KIND_LABEL[factor.kind] ?? factor.kind}), added{" "}
                <DateTime value={factor.createdAt} />, last used <DateTime value={factor.lastUsedAt} fallback="never" />
              </li>
            ))}
          </ul>
          <p className="mt-2 text-sm">{recoveryCodesLeft} of 10 recovery codes left.</p>
          <ResetSecondFactorsButton userId={userId} username={username} />
        </>
      )}
    </Card>
  );
}
