import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/lib/env";
import { CLIENT_ADDRESS_HEADER, CLIENT_ADDRESS_MARK } from "@/lib/http/client-address.mjs";
import { sameSitePath } from "@/lib/http/same-site-path";
import { requestIdOf } from "@/lib/observability/request-id.mjs";
import { endSession } from "@/lib/db/sessions";
import { loginSchema } from "@/lib/validation/login";
import { signInWithPassword } from "./login";
import { SIGN_IN_MESSAGES } from "./sign-in-messages";

/**
 * The client address scripts/server.mjs worked out from the socket and TRUSTED_PROXIES (it
 * replaces any copy of the header the client sent). Served any other way (next dev, a bare
 * next start) nothing vouches for the header, and every client counts as "unknown".
 */
function clientAddressOf(headers: Record<string, string | string[] | undefined> | undefined): string {
  if ((globalThis as Record<symbol, unknown>)[CLIENT_ADDRESS_MARK] !== true) return "unknown";
  const address = headers?.[CLIENT_ADDRESS_HEADER];
  return typeof address === "string" && address !== "" ? address : "unknown";
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
      error: (code, metadata) =>
        console.error(
          `[auth] ${code}: ${metadata instanceof Error ? metadata.message : ((metadata as { message?: string })?.message ?? "")}`,
        ),
      warn: (code) => console.warn(`[auth] ${code}`),
      debug: () => {},
    },
    providers: [
      CredentialsProvider({
        name: "Username and password",
        credentials: {
          username: { label: "Username", type: "text" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, req) {
          const parsed = loginSchema.safeParse(credentials ?? {});
          if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? "Invalid input");
          const headers = req?.headers as Record<string, string> | undefined;
          const clientAddress = clientAddressOf(headers);
          let result;
          try {
            result = await signInWithPassword({
              ...parsed.data,
              clientAddress,
              userAgent: typeof headers?.["user-agent"] === "string" ? headers["user-agent"] : "",
              requestId: requestIdOf(headers),
            });
          } catch (error) {
            // NextAuth shows a thrown message to the user: keep the details in the server log.
            console.error(
              `[auth] sign-in failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
            );
            throw new Error(SIGN_IN_MESSAGES.unexpected_error);
          }
          // NextAuth hands a thrown message to the sign-in form as `error`.
          if (!result.ok) throw new Error(result.message);
          // The cookie needs who signed in and which session this is, nothing else: guards.ts
          // reads the session, role and state per request.
          return { id: result.user.id, name: result.user.username, sessionId: result.sessionId };
        },
      }),
    ],
    events: {
      // Signing out ends the session row, not just this browser's cookie.
      async signOut({ token }) {
        if (typeof token?.sid === "string") await endSession(token.sid);
      },
    },
    callbacks: {
      // Sign-in and sign-out land on this site only, whatever callbackUrl says.
      redirect({ url, baseUrl }) {
        return `${baseUrl}${sameSitePath(url, baseUrl)}`;
      },
      // The token carries what is read from it: the user id (sub), the username (name) and the
      // session row (sid) — no role, groups or email (read from the database per request) and never
      // a password. Rebuilt at every renewal, so a cookie issued with more claims sheds them.
      jwt({ token, user }) {
        return user
          ? { sub: user.id, name: user.name, sid: (user as { sessionId?: string }).sessionId }
          : { sub: token.sub, name: token.name, sid: token.sid };
      },
      session({ session, token }) {
        session.user = { id: token.sub ?? "", name: token.name ?? "" };
        return session;
      },
    },
  };
  return cached;
}
