/** What Test LDAP Connection shows: types only, so the dialog (a client component) may import it. */
import type { TraceStep } from "@/lib/ldap";
import type { EffectiveSetting } from "@/lib/settings";

export interface TestReport {
  ok: boolean;
  lookupOnly: boolean;
  error: {
    code: string;
    message: string;
    hint: string;
    detail?: string;
    serverDiagnostic?: string;
    step: string;
  } | null;
  steps: TraceStep[];
  user: { dn: string; email: string | null; directoryId: string | null } | null;
  directGroups: string[];
  nestedGroups: string[];
  /** The app groups this user would get, lowest priority number first (All Users included). */
  appGroups: { name: string; priority: number; matchedDn: string | null }[];
  settings: EffectiveSetting[];
}
