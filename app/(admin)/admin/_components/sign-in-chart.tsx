import type { SignInSeries } from "@/lib/observability/overview";

/** Drawing area of one chart, in SVG units. */
const BAR = 16;
const GAP = 4;
const LEFT = 36;
const TOP = 8;
const HEIGHT = 96;
const WIDTH = LEFT + 24 * (BAR + GAP);
const BOTTOM = TOP + HEIGHT;

const hourLabel = (hour: Date) => `${String(hour.getUTCHours()).padStart(2, "0")}:00`;

/**
 * Sign-ins per hour over the last 24 hours for one configuration: a bar per hour, successes
 * (green) under failures (red). Plain SVG rendered on the server; each bar's title gives its
 * numbers, and the table beside the charts gives all of them as text.
 */
function SeriesChart({ series, index }: { series: SignInSeries; index: number }) {
  const max = Math.max(1, ...series.hours.map((point) => point.successes + point.failures));
  const scale = (count: number) => (count / max) * HEIGHT;
  const titleId = `sign-in-chart-${index}-title`;
  const descId = `sign-in-chart-${index}-desc`;
  return (
    <figure className="min-w-0" data-testid="sign-in-chart-series">
      <figcaption className="mb-1 flex items-baseline justify-between gap-2 text-sm">
        <span className="font-medium">{series.label}</span>
        <span className="text-slate-600">
          {series.successes} succeeded · {series.failures} failed
        </span>
      </figcaption>
      <svg
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        viewBox={`0 0 ${WIDTH} ${BOTTOM + 18}`}
        className="h-auto w-full max-w-xl"
      >
        <title id={titleId}>{`Sign-ins per hour, last 24 hours: ${series.label}`}</title>
        <desc id={descId}>
          {`${series.successes} succeeded and ${series.failures} failed; at most ${max} in one hour.`}
        </desc>
        <line x1={LEFT - 2} y1={BOTTOM} x2={WIDTH} y2={BOTTOM} stroke="#94a3b8" strokeWidth="1" />
        <text x={LEFT - 6} y={TOP + 8} textAnchor="end" fontSize="10" fill="#475569">
          {max}
        </text>
        <text x={LEFT - 6} y={BOTTOM} textAnchor="end" fontSize="10" fill="#475569">
          0
        </text>
        {series.hours.map((point, hour) => {
          const x = LEFT + hour * (BAR + GAP);
          const success = scale(point.successes);
          const failure = scale(point.failures);
          return (
            <g key={point.hour.toISOString()}>
              <title>{`${hourLabel(point.hour)} UTC: ${point.successes} succeeded, ${point.failures} failed`}</title>
              {point.successes > 0 && (
                <rect x={x} y={BOTTOM - success} width={BAR} height={success} fill="#16a34a" data-kind="success" />
              )}
              {point.failures > 0 && (
                <rect
                  x={x}
                  y={BOTTOM - success - failure}
                  width={BAR}
                  height={failure}
                  fill="#dc2626"
                  data-kind="failure"
                />
              )}
              {hour % 6 === 0 && (
                <text x={x + BAR / 2} y={BOTTOM + 14} textAnchor="middle" fontSize="10" fill="#475569">
                  {hourLabel(point.hour)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** Every series' chart, a legend, and the numbers as a table (hours in UTC). */
export function SignInChart({ series, hours }: { series: SignInSeries[]; hours: Date[] }) {
  return (
    <div data-testid="sign-in-chart">
      <p className="mb-3 flex gap-4 text-xs text-slate-600">
        <span>
          <span aria-hidden="true" className="mr-1 inline-block h-2.5 w-2.5 rounded-sm bg-green-600" />
          Succeeded
        </span>
        <span>
          <span aria-hidden="true" className="mr-1 inline-block h-2.5 w-2.5 rounded-sm bg-red-600" />
          Failed
        </span>
        <span>Hours in UTC; the last bar is the current hour.</span>
      </p>
      <div className="grid gap-6 lg:grid-cols-2">
        {series.map((one, index) => (
          <SeriesChart key={one.key} series={one} index={index} />
        ))}
      </div>
      <details className="mt-4 text-sm">
        <summary className="cursor-pointer text-blue-700">Sign-ins by hour as a table</summary>
        <div className="mt-2 overflow-x-auto">
          <table className="text-left text-xs">
            <caption className="sr-only">Sign-ins per hour and configuration, last 24 hours (UTC)</caption>
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="px-2 py-1 font-medium">
                  Hour (UTC)
                </th>
                {series.map((one) => [
                  <th key={`${one.key}-s`} scope="col" className="px-2 py-1 font-medium">
                    {one.label}: succeeded
                  </th>,
                  <th key={`${one.key}-f`} scope="col" className="px-2 py-1 font-medium">
                    {one.label}: failed
                  </th>,
                ])}
              </tr>
            </thead>
            <tbody>
              {hours.map((hour, row) => (
                <tr key={hour.toISOString()} className="border-t border-slate-100">
                  <th scope="row" className="px-2 py-1 font-normal">
                    {`${hour.toISOString().slice(0, 10)} ${hourLabel(hour)}`}
                  </th>
                  {series.map((one) => [
                    <td key={`${one.key}-s`} className="px-2 py-1 tabular-nums">
                      {one.hours[row]?.successes ?? 0}
                    </td>,
                    <td key={`${one.key}-f`} className="px-2 py-1 tabular-nums">
                      {one.hours[row]?.failures ?? 0}
                    </td>,
                  ])}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
