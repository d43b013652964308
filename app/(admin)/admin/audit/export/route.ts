import type { NextRequest } from "next/server";
import {
  AUDIT_EXPORT_CONTENT_TYPES,
  AUDIT_EXPORT_FORMATS,
  auditCsvHeader,
  auditCsvLine,
  auditExportFilename,
  auditJsonLine,
  type AuditExportFormat,
} from "@/lib/audit-export/encode";
import { AUDIT_FILTER_FIELDS, describeAuditFilters, parseAuditFilters } from "@/lib/audit-export/filters";
import { requireAdmin } from "@/lib/auth/guards";
import { recordAudit } from "@/lib/db/audit";
import { auditEventBatches } from "@/lib/db/audit-log";
import { componentLogger } from "@/lib/observability/logger.mjs";

const log = componentLogger("audit");

export const dynamic = "force-dynamic";

const refuse = (message: string) =>
  new Response(`${message}\n`, {
    status: 400,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });

/**
 * The Audit page's download: every event matching the page's filters (not only the page shown),
 * as CSV or JSON lines, streamed a batch at a time. The download itself is audited when it ends:
 * who, which filters, how many rows, and whether it completed.
 */
export async function GET(request: NextRequest) {
  const admin = await requireAdmin();
  const query = request.nextUrl.searchParams;
  const format = query.get("format") as AuditExportFormat | null;
  if (!format || !AUDIT_EXPORT_FORMATS.includes(format))
    return refuse(`Choose the format: format=${AUDIT_EXPORT_FORMATS.join(" or format=")}.`);
  const parsed = parseAuditFilters(query);
  if (!parsed.ok)
    return refuse(
      AUDIT_FILTER_FIELDS.filter((field) => parsed.errors[field])
        .map((field) => `${field}: ${parsed.errors[field]}`)
        .join("\n"),
    );

  const filename = auditExportFilename(format, new Date());
  const encodeRow = format === "csv" ? auditCsvLine : auditJsonLine;
  const batches = auditEventBatches(parsed.filters);
  const encoder = new TextEncoder();
  let rows = 0;
  let recorded = false;
  const record = async (outcome: "success" | "failure", reason?: string) => {
    if (recorded) return;
    recorded = true;
    await recordAudit({
      actor: admin.username,
      action: "audit.export",
      target: filename,
      outcome,
      details: { format, filters: describeAuditFilters(parsed.values), rows, ...(reason && { reason }) },
    });
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (format === "csv") controller.enqueue(encoder.encode(auditCsvHeader()));
    },
    async pull(controller) {
      try {
        const next = await batches.next();
        if (next.done) {
          await record("success");
          controller.close();
          return;
        }
        rows += next.value.length;
        controller.enqueue(encoder.encode(next.value.map(encodeRow).join("")));
      } catch (error) {
        log.error({ error: error instanceof Error ? error.message : String(error), rows }, "audit export failed");
        await record("failure", `reading the audit log failed after ${rows} rows`).catch(() => undefined);
        controller.error(error);
      }
    },
    async cancel() {
      await batches.return(undefined);
      await record("failure", `the download was cancelled after ${rows} rows`).catch(() => undefined);
    },
  });

  return new Response(body, {
    headers: {
      "Content-Type": AUDIT_EXPORT_CONTENT_TYPES[format],
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
