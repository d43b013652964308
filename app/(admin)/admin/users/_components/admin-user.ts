import type { findUserForAdmin } from "@/lib/db/user-admin";

/** A user as the detail page shows it: account fields, memberships and effective groups. */
export type AdminUser = NonNullable<Awaited<ReturnType<typeof findUserForAdmin>>>;
