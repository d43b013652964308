import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto mt-24 max-w-md rounded-lg border border-slate-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-xl font-semibold">Access denied</h1>
      <p className="mt-2 text-slate-600">
        This area is for administrators. Your account is signed in but is not a member of Administrators.
      </p>
      <Link href="/profile" className="mt-6 inline-block text-blue-700 underline">
        Go to your profile
      </Link>
    </main>
  );
}
