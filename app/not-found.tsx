import Link from "next/link";
import { connection } from "next/server";

/**
 * Rendered per request, like every page: the Content-Security-Policy's script nonce is new on
 * each response, and a page prerendered at build time would carry none (its scripts blocked).
 */
export default async function NotFound() {
  await connection();
  return (
    <main className="mx-auto mt-24 max-w-md rounded-lg border border-slate-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-600">There is nothing at this address.</p>
      <Link href="/" className="mt-6 inline-block text-blue-700 underline">
        Go to the start page
      </Link>
    </main>
  );
}
