import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

async function handler(request: Request, context: RouteContext) {
  // NextAuth 4 reads params synchronously; Next 16 hands them over as a promise.
  const params = await context.params;
  return NextAuth(authOptions())(request, { params });
}

export { handler as GET, handler as POST };
