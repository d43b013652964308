import type { Role } from "@/lib/db/users";

declare module "next-auth" {
  interface User {
    id: string;
    role: Role;
    groupIds: string[];
  }
  interface Session {
    user: { id: string; name: string; email?: string | null; role: Role; groupIds: string[] };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    role?: Role;
    groupIds?: string[];
  }
}
