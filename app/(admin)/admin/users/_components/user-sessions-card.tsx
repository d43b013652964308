import { EndSessionsButton } from "@/app/_components/end-sessions-button";
import { SessionsTable, type SessionRow } from "@/app/_components/sessions-table";
import { Card } from "@/app/_components/ui";
import { signOutEverywhereAction } from "../actions";

/** The user's open sessions, and Sign out everywhere: each ends at its next request, on every instance. */
export function UserSessionsCard({ userId, sessions }: { userId: string; sessions: SessionRow[] }) {
  return (
    <Card aria-labelledby="sessions-heading">
      <h2 id="sessions-heading" className="text-lg font-medium">
        Sessions
      </h2>
      <SessionsTable sessions={sessions} />
      <EndSessionsButton
        action={signOutEverywhereAction.bind(null, { userId })}
        label="Sign out everywhere"
        disabled={sessions.length === 0}
      />
    </Card>
  );
}
