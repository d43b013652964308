import { z } from "zod";

/** Test LDAP Connection's dialog: who to look up, and optionally their password. */
export const ldapTestSchema = z.object({
  username: z.string().trim().min(1, "Enter a username to test, e.g. test_user_1@kasm.core").max(320),
  /** Optional: without it the test runs in look-up mode. */
  password: z.string().max(1024),
});

export type LdapTestInput = z.infer<typeof ldapTestSchema>;
