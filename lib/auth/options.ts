import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/lib/env";
import { loginSchema } from "@/lib/validation/login";
import { signInWithPassword } from "./login";

function clientAddressOf(headers: Record<string, string | string[] | undefined> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  const real = headers?.["x-real-ip"];
  return first || (Array.isArray(real) ? real[0] : real) || "unknown";
}

let cached: NextAuthOptions | undefined;

/** Built on first use so that importing this module (e.g. during `next build`) reads no secrets. */
export function authOptions(): NextAuthOptions {
  cached ??= {
    secret: env().sessionSecret,
    session: { strategy: "jwt", maxAge: env().sessionMaxAgeSeconds },
    pages: { signIn: "/login" },
    // One line per problem; a forged or expired cookie is routine, not a stack trace.
    logger: {
      error: (code, metadata) => console.error(`[auth] ${code}: ${metadata instanceof Error ? metadata.message : (metadata as { message?: string })?.message ?? ""}`),
      warn: (code) => console.warn(`[auth] ${code}`),
      debug: () => {},
    },
    providers: [
      CredentialsProvider({
        name: "Username and password",
        credentials: { username: { label: "Username", type: "text" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const parsed = loginSchema.safeParse(credentials ?? {});
          if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? "Invalid input");
          let result;
          try {
            result = await signInWithPassword({
              ...parsed.data,
              clientAddress: clientAddressOf(req?.headers as Record<string, string> | undefined),
            });
          } catch (error) {
            // NextAuth shows a thrown message to the user: keep the details in the server log.
            console.error(`[auth] sign-in failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
            throw new Error("Sign-in is not available right now. Try again in a moment.");
          }
          // NextAuth hands a thrown message to the sign-in form as `error`.
          if (!result.ok) throw new Error(result.message);
          const { id, username, email, role, groupIds } = result.user;
          return { id, name: username, email, role, groupIds };
        },
      }),
    ],
    callbacks: {
      // The token carries id, role and group ids — never a password.
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.role = user.role;
          token.groupIds = user.groupIds;
        }
        return token;
      },
      session({ session, token }) {
        session.user = {
          id: token.uid ?? "",
          name: token.name ?? "",
          email: token.email ?? null,
          role: token.role ?? "user",
          groupIds: token.groupIds ?? [],
        };
        return session;
      },
    },
  };
  return cached;
}
