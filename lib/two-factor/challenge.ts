import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { createChallenge, findChallenge } from "@/lib/db/second-factors";

/** The half-signed-in state lasts this long: enough to open an app or touch a key, no more. */
export const CHALLENGE_SECONDS = 5 * 60;

/** The cookie naming the challenge: HttpOnly, this site only, gone with the challenge. */
const COOKIE = "portal.second-step";

const secure = () => (process.env.NEXTAUTH_URL ?? "").startsWith("https://");
const cookieName = () => `${secure() ? "__Host-" : ""}${COOKIE}`;

export const challengeId = (token: string) => createHash("sha256").update(token).digest("hex");

/** After the right password: a challenge for the second step, and the token its cookie carries. */
export async function openChallenge(userId: string, clientAddress: string, userAgent: string): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await createChallenge({
    id: challengeId(token),
    userId,
    expiresAt: new Date(Date.now() + CHALLENGE_SECONDS * 1000),
    clientAddress,
    userAgent,
  });
  return token;
}

/** Sets the challenge's cookie on the response being built (a route handler or server action). */
export async function setChallengeCookie(token: string) {
  (await cookies()).set(cookieName(), token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: secure(),
    maxAge: CHALLENGE_SECONDS,
  });
}

export async function clearChallengeCookie() {
  (await cookies()).delete(cookieName());
}

/** The id of the challenge this browser's cookie names, if any. */
export async function challengeIdFromCookie(): Promise<string | undefined> {
  const token = (await cookies()).get(cookieName())?.value;
  return token ? challengeId(token) : undefined;
}

/** The unexpired challenge of this browser, with its user; undefined when there is none. */
export async function currentChallenge() {
  const id = await challengeIdFromCookie();
  if (!id) return undefined;
  const challenge = await findChallenge(id);
  if (!challenge || challenge.user.disabled || challenge.user.directoryRefusal) return undefined;
  return challenge;
}
