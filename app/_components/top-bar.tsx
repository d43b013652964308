import Link from "next/link";
import type { CurrentUser } from "@/lib/auth/guards";
import { SignOutButton } from "./sign-out-button";

export function TopBar({ user }: { user: CurrentUser }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl items-center justify-between px-6 py-3">
        <Link href="/" className="flex items-center gap-2 font-semibold">
          {/* Decorative: the link's text names it. A plain img: the logo is a fixed 64 px file. */}
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src="/logo.png" alt="" width={24} height={24} />
          LDAP Portal
        </Link>
        <nav aria-label="Account" className="flex items-center gap-4 text-sm">
          {user.role === "admin" && (
            <Link href="/admin" className="hover:underline">
              Admin
            </Link>
          )}
          <Link href="/profile" className="hover:underline">
            Profile
          </Link>
          <span className="text-slate-500" data-testid="signed-in-user">
            {user.username}
          </span>
          <SignOutButton />
        </nav>
      </div>
    </header>
  );
}
