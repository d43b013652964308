import "server-only";
import { recordAudit, recordFailedSignIn } from "@/lib/db/audit";
import { addressBudget } from "./address-budget";

/** The audit trail of one sign-in attempt: successes always, failures within the address's allowance. */
export interface SignInAudit {
  success(details: Record<string, unknown>): Promise<void>;
  failure(details: Record<string, unknown>): Promise<void>;
}

export function signInAudit(login: string, clientAddress: string): SignInAudit {
  const entry = (outcome: "success" | "failure", details: Record<string, unknown>) => ({
    actor: login,
    action: "login",
    target: login,
    outcome,
    details: { ...details, clientAddress },
  });
  return {
    success: (details) => recordAudit(entry("success", details)),
    // The allowance is per network, like the brake: an IPv6 /64 is one subscriber.
    failure: (details) => recordFailedSignIn(entry("failure", details), addressBudget(clientAddress)),
  };
}
