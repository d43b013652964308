import { NextResponse } from "next/server";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    await db().$queryRawUnsafe("SELECT 1");
    return NextResponse.json({ status: "ok", database: "ok" });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return NextResponse.json({ status: "error", database: "unavailable", message }, { status: 503 });
  }
}
