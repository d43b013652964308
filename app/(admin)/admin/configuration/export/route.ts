import { requireAdmin } from "@/lib/auth/guards";
import { exportConfigDocument } from "@/lib/config-document/export";

export const dynamic = "force-dynamic";

/**
 * "Download export": the LDAP configurations and groups as one configuration document, without
 * any secret, as a file. The export is audited (who, how much).
 */
export async function GET() {
  const admin = await requireAdmin();
  const document = await exportConfigDocument(admin.username);
  const filename = `portal-configuration-${new Date().toISOString().slice(0, 10)}.json`;
  return new Response(`${JSON.stringify(document, null, 2)}\n`, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
