import { HEALTH_LABELS, type Health } from "@/lib/observability/directory-health";

const TONES = {
  healthy: "bg-green-100 text-green-800",
  degraded: "bg-amber-100 text-amber-900",
  down: "bg-red-100 text-red-800",
  unknown: "bg-slate-100 text-slate-700",
} as const;

/** A configuration's directory health in one word; the reasons in its title (and for screen readers). */
export function HealthBadge({ health }: { health: Health }) {
  const reasons = health.reasons.join(" ");
  return (
    <span
      title={reasons}
      data-testid="health-badge"
      data-health={health.status}
      className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${TONES[health.status]}`}
    >
      {HEALTH_LABELS[health.status]}
      <span className="sr-only">: {reasons}</span>
    </span>
  );
}
