import { DateTime } from "./ui";

export interface SessionRow {
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  clientAddress: string;
  userAgent: string;
  current: boolean;
}

/** A user's open sessions: when they began and were last used, from where and which browser. */
export function SessionsTable({ sessions }: { sessions: SessionRow[] }) {
  if (sessions.length === 0) return <p className="mt-2 text-sm text-slate-600">No open sessions.</p>;
  return (
    <table className="mt-4 w-full text-left text-sm">
      <thead className="text-slate-500">
        <tr>
          <th className="py-1 font-normal">Signed in</th>
          <th className="py-1 font-normal">Last used</th>
          <th className="py-1 font-normal">Expires</th>
          <th className="py-1 font-normal">Address</th>
          <th className="py-1 font-normal">Browser</th>
        </tr>
      </thead>
      <tbody>
        {sessions.map((session, index) => (
          <tr key={index} className="border-t border-slate-100" data-testid="session-row">
            <td className="py-2">
              <DateTime value={session.createdAt} />
              {session.current && <span className="ml-2 text-xs font-medium text-green-700">this session</span>}
            </td>
            <td className="py-2">
              <DateTime value={session.lastSeenAt} />
            </td>
            <td className="py-2">
              <DateTime value={session.expiresAt} />
            </td>
            <td className="py-2 font-mono text-xs">{session.clientAddress}</td>
            <td className="max-w-xs truncate py-2 text-xs text-slate-600" title={session.userAgent}>
              {session.userAgent || "—"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
