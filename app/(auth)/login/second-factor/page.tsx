import Link from "next/link";
import { redirect } from "next/navigation";
import QRCode from "qrcode";
import { currentUser } from "@/lib/auth/guards";
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import { factorsOf, setChallengeEnrolment } from "@/lib/db/second-factors";
import { sameSitePath } from "@/lib/http/same-site-path";
import { currentChallenge } from "@/lib/two-factor/challenge";
import { newTotpSecret, spacedSecret, totpUri } from "@/lib/two-factor/totp";
import { EnrolSecondFactor } from "./enrol-second-factor";
import { VerifySecondFactor } from "./verify-second-factor";

export const metadata = { title: "Second factor · LDAP Portal" };

/**
 * The second step of a sign-in: the factor of a user who has one, or the enrolment of a user who
 * must have one and has none yet (a group requires it, or an administrator reset theirs).
 */
export default async function SecondFactorPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string | string[] }>;
}) {
  if (await currentUser()) redirect("/");
  const next = sameSitePath((await searchParams).callbackUrl);
  const challenge = await currentChallenge();
  if (!challenge)
    return (
      <Frame title="Sign in again">
        <p className="mt-2 text-sm text-slate-600">
          Your sign-in took longer than five minutes or was not started here.{" "}
          <Link className="text-blue-700 underline" href={`/login?callbackUrl=${encodeURIComponent(next)}`}>
            Sign in again
          </Link>
          .
        </p>
      </Frame>
    );

  const { factors } = await factorsOf(challenge.userId);
  if (factors.length > 0)
    return (
      <Frame title="Second factor">
        <p className="mt-1 text-sm text-slate-600">
          Signing in as <span className="font-medium">{challenge.user.username}</span>.
        </p>
        <VerifySecondFactor
          callbackUrl={next}
          hasApp={factors.some((factor) => factor.kind === "totp")}
          hasPasskey={factors.some((factor) => factor.kind === "passkey")}
        />
      </Frame>
    );

  // The key is offered once per challenge: reloading the page shows the same one.
  let secret = challenge.pendingSecret ? decryptSecret(challenge.pendingSecret) : undefined;
  if (!secret) {
    secret = newTotpSecret();
    await setChallengeEnrolment(challenge.id, { pendingSecret: encryptSecret(secret) });
  }
  const qrCode = await QRCode.toDataURL(totpUri(secret, challenge.user.username), { margin: 1, width: 200 });
  return (
    <Frame title="Set up a second factor">
      <p className="mt-1 text-sm text-slate-600">
        <span className="font-medium">{challenge.user.username}</span> must sign in with a second factor. Set one up
        now: an authenticator app, or a passkey.
      </p>
      <EnrolSecondFactor callbackUrl={next} qrCode={qrCode} secret={spacedSecret(secret)} />
    </Frame>
  );
}

function Frame({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="mx-auto mt-24 max-w-md">
      <div className="rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold">{title}</h1>
        {children}
      </div>
    </main>
  );
}
