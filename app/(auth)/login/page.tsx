import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/guards";
import { LOGIN_CSRF_HEADER } from "@/lib/auth/login-csrf";
import { sameSitePath } from "@/lib/http/same-site-path";
import { LoginForm } from "./login-form";

export const metadata = { title: "Sign in · LDAP Portal" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string | string[] }>;
}) {
  if (await currentUser()) redirect("/");
  const { callbackUrl } = await searchParams;
  // Only same-site paths: an open redirect after sign-in would be a phishing aid.
  const next = sameSitePath(callbackUrl);
  // Set by proxy.ts with NextAuth's CSRF cookie; empty only if the proxy did not run (the form then fetches one).
  const csrfToken = (await headers()).get(LOGIN_CSRF_HEADER) ?? "";
  return (
    <main className="mx-auto mt-24 max-w-sm">
      <div className="rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold">Sign in</h1>
        <p className="mt-1 text-sm text-slate-600">Use your directory account, e.g. jane@example.com.</p>
        <LoginForm callbackUrl={next} csrfToken={csrfToken} />
      </div>
    </main>
  );
}
