import type { Role } from "@/lib/db/users";

export interface SignedInUser {
  id: string;
  username: string;
  email: string | null;
  role: Role;
  groupIds: string[];
}

export type SignInResult =
  | { ok: true; user: SignedInUser }
  /** `throttled`: refused by a brake; `unavailable`: the directory could not judge the password. */
  | { ok: false; message: string; throttled?: true; unavailable?: true };

export interface SignInAttempt {
  username: string;
  password: string;
  clientAddress: string;
  /** The HTTP request's id (scripts/server.mjs), for the sign-in's log line; a fresh one when absent. */
  requestId?: string;
}
