import type { Role } from "@/lib/db/users";

export interface SignedInUser {
  id: string;
  username: string;
  email: string | null;
  role: Role;
  groupIds: string[];
}

export type SignInResult = { ok: true; user: SignedInUser } | { ok: false; message: string };

/** The one message for bad credentials, unknown users and refused users: no user enumeration. */
export const INVALID_CREDENTIALS_MESSAGE = "Invalid username or password";

export interface SignInAttempt {
  username: string;
  password: string;
  clientAddress: string;
}
