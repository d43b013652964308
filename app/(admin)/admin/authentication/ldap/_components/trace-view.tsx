import type { TestReport } from "@/lib/configurations/test-report";
import type { GroupStrategy, TraceStep } from "@/lib/ldap";

const STEP_LABELS: Record<TraceStep["name"], string> = {
  config: "Configuration",
  login: "Login parsing",
  connect: "Connection",
  service_bind: "Service account bind",
  user_search: "User search",
  user_bind: "User bind",
  account_state: "Account state",
  groups: "Group resolution",
  required_group: "Required group",
  probe: "Directory probe",
};

const STRATEGY_LABELS: Record<GroupStrategy, string> = {
  in_chain: "AD in-chain rule, resolved by the server",
  in_chain_expanded: "AD in-chain rule, resolved by the portal from memberOf (look-ups by DN)",
  filter: "Group Membership Filter, parents expanded by the portal",
  member_of: "the user's memberOf values, parents expanded by the portal",
  none: "none",
};

type Row = [string, React.ReactNode];

/** What a step found, as label and value rows; the detail's shape follows the step's name. */
function detailRows(step: TraceStep): Row[] {
  switch (step.name) {
    case "connect": {
      const { url, tls } = step.detail;
      const rows: Row[] = url ? [["URL", url]] : [];
      if (tls)
        rows.push([
          "TLS",
          `${tls.protocol ?? ""} · certificate ${tls.subject} (issuer ${tls.issuer}) valid until ${tls.validTo}`,
        ]);
      return rows;
    }
    case "service_bind":
    case "user_bind": {
      const { url, dn } = step.detail;
      return [...(url ? [["URL", url] satisfies Row] : []), ...(dn ? [["DN", dn] satisfies Row] : [])];
    }
    case "user_search": {
      const d = step.detail;
      const rows: Row[] = [
        ["Base", String(d.base ?? "")],
        ["Scope", String(d.scope ?? "")],
        ["Effective filter", <code key="f">{String(d.filter ?? "")}</code>],
        ["Entries found", String(d.entries ?? 0)],
      ];
      if (d.dn) rows.push(["User DN", d.dn]);
      if (d.email !== undefined) rows.push(["Email", d.email ?? "—"]);
      return rows;
    }
    case "account_state":
      return [["Flags", step.detail.flags.join(", ") || "none recorded"]];
    case "groups": {
      const d = step.detail;
      const rows: Row[] = [
        ["Strategy", d.strategy ? STRATEGY_LABELS[d.strategy] : String(d.strategy)],
        ["Queries", String(d.queries)],
      ];
      const filters = d.filters ?? [];
      if (filters[0]) rows.push(["First filter", <code key="g">{filters[0]}</code>]);
      if (Number(d.depth) > 0) rows.push(["Nesting depth", String(d.depth)]);
      // A cut-short answer: a sign-in applies these groups and keeps memberships it cannot confirm.
      if (d.complete === false) rows.push(["Incomplete", d.incompleteReason ?? "the directory's answer was cut short"]);
      return rows;
    }
    case "required_group":
      return [
        ["Required group", step.detail.required],
        ["Member", step.detail.member ? "yes" : "no"],
      ];
    default:
      return [];
  }
}

function StepDetail({ step }: { step: TraceStep }) {
  const rows = detailRows(step);
  if (rows.length === 0) return null;
  return (
    <dl className="mt-1 grid grid-cols-[9rem_1fr] gap-x-2 text-xs text-slate-600">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt>{label}</dt>
          <dd className="break-all">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The verdict: success, or the error with its hint and what the server said. */
function Outcome({ report }: { report: TestReport }) {
  if (report.ok) {
    return (
      <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-sm font-medium text-green-800">
        {report.lookupOnly
          ? "Look-up succeeded: this user would be found (no password was checked)."
          : "Success: the user authenticated."}
      </p>
    );
  }
  const { error } = report;
  if (!error) return null;
  return (
    <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
      <p className="font-semibold">
        {error.message} <span className="font-mono text-xs">({error.code})</span>
      </p>
      {error.detail && <p className="mt-1">{error.detail}</p>}
      <p className="mt-1">Hint: {error.hint}</p>
      {error.serverDiagnostic && <p className="mt-1 font-mono text-xs">Server said: {error.serverDiagnostic}</p>}
    </div>
  );
}

/** Every step with ✓ or ✗, its time and what it found. */
function Steps({ steps }: { steps: TestReport["steps"] }) {
  return (
    <ol className="space-y-2" aria-label="Steps">
      {steps.map((step, index) => (
        <li key={index} className="rounded border border-slate-200 px-3 py-2" data-testid="trace-step">
          <div className="flex items-center justify-between text-sm">
            <span>
              <span aria-hidden className={step.ok ? "text-green-700" : "text-red-700"}>
                {step.ok ? "✓" : "✗"}
              </span>{" "}
              <span className="font-medium">{STEP_LABELS[step.name]}</span>
              <span className="sr-only">{step.ok ? " succeeded" : " failed"}</span>
            </span>
            <span className="text-xs text-slate-500">{step.ms} ms</span>
          </div>
          <StepDetail step={step} />
          {step.error && <p className="mt-1 text-xs text-red-800">{step.error.message}</p>}
        </li>
      ))}
    </ol>
  );
}

function UserFound({ user }: { user: NonNullable<TestReport["user"]> }) {
  return (
    <section aria-label="User" className="text-sm">
      <h3 className="font-semibold">User</h3>
      <p className="break-all" data-testid="test-user-dn">
        {user.dn}
      </p>
      <p>
        Email: <span data-testid="test-user-email">{user.email ?? "—"}</span>
      </p>
      <p className="text-slate-500">Directory id: {user.directoryId ?? "—"}</p>
    </section>
  );
}

function LdapGroups({ report }: { report: TestReport }) {
  return (
    <section aria-label="LDAP groups" className="text-sm">
      <h3 className="font-semibold">LDAP groups ({report.directGroups.length + report.nestedGroups.length})</h3>
      <ul className="mt-1 max-h-48 overflow-auto text-xs" data-testid="test-ldap-groups">
        {report.directGroups.map((dn) => (
          <li key={dn} className="break-all">
            {dn} <span className="text-slate-500">direct</span>
          </li>
        ))}
        {report.nestedGroups.map((dn) => (
          <li key={dn} className="break-all">
            {dn} <span className="text-slate-500">nested</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The app groups the mappings would give, and the group settings that would win. */
function AppGroups({ report }: { report: TestReport }) {
  return (
    <section aria-label="App groups" className="text-sm">
      <h3 className="font-semibold">App groups this user would get</h3>
      <ul className="mt-1" data-testid="test-app-groups">
        {report.appGroups.map((group) => (
          <li key={group.name}>
            {group.name}{" "}
            <span className="text-slate-500">
              (priority {group.priority}
              {group.matchedDn ? `, via ${group.matchedDn}` : ", everyone"})
            </span>
          </li>
        ))}
      </ul>
      {report.settings.length > 0 && (
        <table className="mt-2 w-full text-left text-xs">
          <thead className="text-slate-500">
            <tr>
              <th className="font-normal">Setting</th>
              <th className="font-normal">Value</th>
              <th className="font-normal">Wins from</th>
            </tr>
          </thead>
          <tbody>
            {report.settings.map((setting) => (
              <tr key={setting.key}>
                <td className="font-mono">{setting.key}</td>
                <td className="font-mono">{setting.value}</td>
                <td>
                  {setting.fromGroup}
                  {setting.overridden.length > 0 && ` (over ${setting.overridden.map((o) => o.group).join(", ")})`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The engine's trace as an administrator reads it: every step with ✓ or ✗, its time and what it found. */
export function TraceView({ report }: { report: TestReport }) {
  return (
    <div className="space-y-4" data-testid="ldap-test-report">
      <Outcome report={report} />
      <Steps steps={report.steps} />
      {report.user && <UserFound user={report.user} />}
      {report.ok && <LdapGroups report={report} />}
      {report.ok && <AppGroups report={report} />}
    </div>
  );
}
