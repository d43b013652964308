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

/** What signInWithPassword answers: a success opens a session, whose row the cookie names. */
export type SignInOutcome =
  | SignInRefusal
  | (Extract<SignInResult, { ok: true }> & { sessionId: string })
  /** The password was right and a second factor is due: the challenge's token goes into a cookie. */
  | { ok: "second_step"; challengeToken: string };

export type SignInRefusal = Exclude<SignInResult, { ok: true }>;

export interface SignInAttempt {
  username: string;
  password: string;
  clientAddress: string;
  /** The browser's User-Agent, shown in the sessions list. */
  userAgent?: string;
  /** The HTTP request's id (scripts/server.mjs), for the sign-in's log line; a fresh one when absent. */
  requestId?: string;
}
