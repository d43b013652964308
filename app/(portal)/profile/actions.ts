"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/action-result";
import { requireUser } from "@/lib/auth/guards";
import { recordAudit } from "@/lib/db/audit";
import { endSessionsOf } from "@/lib/db/sessions";

/** Ends the caller's other sessions (another browser, a lost laptop); this one stays. */
export async function signOutOtherSessionsAction(): Promise<ActionResult<{ ended: number }>> {
  const user = await requireUser();
  const ended = await endSessionsOf(user.id, user.sessionId);
  await recordAudit({
    actor: user.username,
    action: "session.sign_out_others",
    target: user.username,
    outcome: "success",
    details: { sessions: ended },
  });
  revalidatePath("/profile");
  return { ok: true, data: { ended } };
}
