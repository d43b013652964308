// A module (not a global script), so the blocks below augment next-auth instead of replacing it.
export {};

declare module "next-auth" {
  interface User {
    id: string;
    name: string;
  }
  /** What getServerSession returns: who signed in. Role and state are read per request (lib/auth/guards.ts). */
  interface Session {
    user: { id: string; name: string };
  }
}

declare module "next-auth/jwt" {
  /** The session cookie's claims: `sub` (user id) and `name` (username), plus iat/exp/jti. */
  interface JWT {
    sub?: string;
    name?: string | null;
  }
}
