import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/lib/env";
import { CLIENT_ADDRESS_HEADER, CLIENT_ADDRESS_MARK } from "@/lib/http/client-address.mjs";
import { sameSitePath } from "@/lib/http/same-site-path";
import { requestIdOf } from "@/lib/observability/request-id.mjs";
import { consumeChallenge } from "@/lib/db/second-factors";
import { createSession, endSession } from "@/lib/db/sessions";
import { componentLogger, errorFields } from "@/lib/observability/logger.mjs";
import { challengeIdFromCookie, clearChallengeCookie, setChallengeCookie } from "@/lib/two-factor/challenge";
import { SECOND_FACTOR_MESSAGES } from "@/lib/two-factor/factors";
import { SECOND_STEP_DUE, SECOND_STEP_PROVIDER } from "@/lib/two-factor/second-step";
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

const log = componentLogger("auth");

function userAgentOf(headers: Record<string, string | string[] | undefined> | undefined): string {
  const agent = headers?.["user-agent"];
  return typeof agent === "string" ? agent : "";
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
        log.error(
          { code },
          metadata instanceof Error ? metadata.message : ((metadata as { message?: string })?.message ?? code),
        ),
      warn: (code) => log.warn({ code }, code),
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
          let result;
          try {
            result = await signInWithPassword({
              ...parsed.data,
              clientAddress: clientAddressOf(headers),
              userAgent: userAgentOf(headers),
              requestId: requestIdOf(headers),
            });
          } catch (error) {
            // NextAuth shows a thrown message to the user: keep the details in the server log.
            log.error(errorFields(error), "sign-in failed unexpectedly");
            throw new Error(SIGN_IN_MESSAGES.unexpected_error);
          }
          // NextAuth hands a thrown message to the sign-in form as `error`.
          if (result.ok === false) throw new Error(result.message);
          if (result.ok === "second_step") {
            await setChallengeCookie(result.challengeToken);
            throw new Error(SECOND_STEP_DUE);
          }
          // The cookie needs who signed in and which session this is, nothing else: guards.ts
          // reads the session, role and state per request.
          return { id: result.user.id, name: result.user.username, sessionId: result.sessionId };
        },
      }),
      // The end of a sign-in with a second factor: the second step's actions marked this
      // browser's challenge satisfied; here it becomes a session, once.
      CredentialsProvider({
        id: SECOND_STEP_PROVIDER,
        name: "Second factor",
        credentials: {},
        async authorize() {
          const id = await challengeIdFromCookie();
          const challenge = id ? await consumeChallenge(id) : undefined;
          if (!challenge) throw new Error(SECOND_FACTOR_MESSAGES.expired);
          await clearChallengeCookie();
          const sessionId = await createSession({
            userId: challenge.userId,
            clientAddress: challenge.clientAddress,
            userAgent: challenge.userAgent,
            lifetimeSeconds: env().sessionMaxAgeSeconds,
          });
          return { id: challenge.userId, name: challenge.user.username, sessionId };
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
