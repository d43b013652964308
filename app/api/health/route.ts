import { NextResponse } from "next/server";
import { pingDatabase } from "@/lib/db/database";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    await pingDatabase();
    return NextResponse.json({ status: "ok", database: "ok" });
  } catch (error) {
    // The cause goes to the server log, not to an anonymous caller.
    console.error(`[health] database check failed: ${error instanceof Error ? error.message : String(error)}`);
    return NextResponse.json({ status: "error", database: "unavailable" }, { status: 503 });
  }
}
