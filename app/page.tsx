import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/guards";

export default async function HomePage() {
  const user = await currentUser();
  redirect(user ? (user.role === "admin" ? "/admin" : "/profile") : "/login");
}
