"use client";

import type { Path, UseFormReturn } from "react-hook-form";
import { Card, Field, fieldProps } from "@/app/_components/ui";
import type { LdapConfigFields, LdapConfigInput } from "@/lib/ldap/config";

export type ConfigForm = UseFormReturn<LdapConfigFields, unknown, LdapConfigInput>;
type FieldName = Path<LdapConfigFields>;

/** One text, number or multi-line field of the form: adding a configuration field adds a row here. */
export interface ConfigFieldSpec {
  name: FieldName;
  label: string;
  help?: string;
  kind?: "number" | "textarea" | "password";
  /** Monospaced input (filters, certificates); "small" also uses a smaller font. */
  mono?: true | "small";
  /** Spans both columns. */
  wide?: true;
  rows?: number;
  placeholder?: string;
  autoComplete?: string;
}

export const MAIN_FIELDS: ConfigFieldSpec[] = [
  { name: "name", label: "Name" },
  {
    name: "url",
    label: "URL",
    help: "ldaps://dc1.example.com or ldap://host:389 (with StartTLS)",
    placeholder: "ldaps://dc1.kasm.core",
  },
  { name: "searchBase", label: "Search Base", help: "DC=kasm,DC=core routes logins of user@kasm.core here" },
  { name: "emailAttribute", label: "Email Attribute" },
  {
    name: "searchFilter",
    label: "Search Filter",
    help: "{0} is the username before the @; {login} the whole login",
    mono: true,
    wide: true,
  },
  {
    name: "groupMembershipFilter",
    label: "Group Membership Filter",
    help: "{0} is the user's DN; {username} the username (posixGroup memberUid). Empty: use the user's memberOf",
    mono: true,
    wide: true,
  },
  { name: "serviceAccountDn", label: "Service Account DN", autoComplete: "off" },
];

/** The password field: write-only, with a hint when one is stored. */
export function servicePasswordField(hasStoredPassword: boolean): ConfigFieldSpec {
  return {
    name: "serviceAccountPassword",
    label: "Service Account Password",
    kind: "password",
    autoComplete: "new-password",
    help: hasStoredPassword
      ? "A password is stored. Leave empty to keep it; changing the URL or DN requires typing it again."
      : undefined,
    placeholder: hasStoredPassword ? "•••••••• (stored)" : "",
  };
}

export const MAIN_CHECKBOXES = [
  ["searchSubtree", "Search Subtree", "Find users anywhere below the Search Base (off: only directly under it)"],
  ["autoCreateAppUser", "Auto Create App User", "Create the app user at the first sign-in"],
  ["enabled", "Enabled", "Users of this configuration may sign in"],
] as const;

export const ADVANCED_FIELDS: ConfigFieldSpec[] = [
  {
    name: "alternateDomains",
    label: "Alternate Username Domains",
    help: "Comma list, e.g. kasm.local, corp.example; * routes usernames without a domain",
  },
  {
    name: "displayOrder",
    label: "Display Order",
    help: "Configurations for the same domain are tried in this order",
    kind: "number",
  },
  {
    name: "failoverUrls",
    label: "Failover URLs",
    help: "One per line; tried in order when the URL cannot be reached",
    kind: "textarea",
    rows: 2,
    wide: true,
  },
  { name: "connectTimeoutMs", label: "Connect Timeout", help: "Milliseconds (default 5000)", kind: "number" },
  { name: "operationTimeoutMs", label: "Operation Timeout", help: "Milliseconds (default 10000)", kind: "number" },
  {
    name: "nestedGroupsCacheSeconds",
    label: "Nesting Cache",
    help: "Seconds sign-ins reuse the nesting between groups (default 60, 0 = off). The user's own groups are always read fresh; Test always reads everything.",
    kind: "number",
  },
];

/** How the portal stays in step with the directory between sign-ins. */
export const SYNC_FIELDS: ConfigFieldSpec[] = [
  {
    name: "syncIntervalMinutes",
    label: "Sync Interval",
    help: "Minutes between syncs of this configuration's users with the directory (default 15, 0 = off)",
    kind: "number",
  },
  {
    name: "maxDisableSharePercent",
    label: "Max Disable Share",
    help: "Percent of the users a sync may disable at once; a sync that would disable more is held for review (default 10)",
    kind: "number",
  },
  {
    name: "sessionRevalidationMinutes",
    label: "Session Revalidation",
    help: "Minutes between directory look-ups of a signed-in user while the session is in use (default 5, 0 = off)",
    kind: "number",
  },
];

export const CONNECTION_CHECKBOXES = [
  ["startTls", "StartTLS"],
  ["verifyCertificate", "Verify Certificate"],
  ["nestedGroups", "Nested Groups"],
] as const;

export const TRUST_FIELDS: ConfigFieldSpec[] = [
  {
    name: "caCertificate",
    label: "CA Certificate (PEM)",
    help: "The CA that issued the directory's certificate, if not publicly trusted",
    kind: "textarea",
    rows: 4,
    mono: "small",
    wide: true,
  },
  {
    name: "requiredGroupDn",
    label: "Required Group",
    help: "Only members (direct or nested) of this group DN may sign in; works on every directory",
    wide: true,
  },
];

/** A labelled field wired to the form: its input, its error and its help. */
export function ConfigField({ spec, form }: { spec: ConfigFieldSpec; form: ConfigForm }) {
  const error = form.formState.errors[spec.name as keyof LdapConfigFields]?.message;
  const props = fieldProps(spec.name, error, spec.help !== undefined);
  const className = spec.mono
    ? `${fieldProps(spec.name, undefined).className} ${spec.mono === "small" ? "font-mono text-xs" : "font-mono"}`
    : undefined;
  const registered = form.register(spec.name, spec.kind === "number" ? { valueAsNumber: true } : undefined);
  const input =
    spec.kind === "textarea" ? (
      <textarea {...props} rows={spec.rows} {...(className ? { className } : {})} {...registered} />
    ) : (
      <input
        {...props}
        {...(className ? { className } : {})}
        {...(spec.kind ? { type: spec.kind } : {})}
        {...(spec.autoComplete ? { autoComplete: spec.autoComplete } : {})}
        {...(spec.placeholder !== undefined ? { placeholder: spec.placeholder } : {})}
        {...registered}
      />
    );
  const field = (
    <Field id={spec.name} label={spec.label} error={error} help={spec.help}>
      {input}
    </Field>
  );
  return spec.wide ? <div className="md:col-span-2">{field}</div> : field;
}

type CheckboxName = (typeof MAIN_CHECKBOXES)[number][0] | (typeof CONNECTION_CHECKBOXES)[number][0];

function Checkbox({
  form,
  name,
  label,
  title,
}: {
  form: ConfigForm;
  name: CheckboxName;
  label: string;
  title?: string;
}) {
  return (
    <label className="flex items-center gap-2 text-sm" title={title}>
      <input type="checkbox" {...form.register(name)} /> {label}
    </label>
  );
}

/** Where the directory is, how users are found, the service account, and the three switches. */
export function MainSettings({ form, hasStoredPassword }: { form: ConfigForm; hasStoredPassword: boolean }) {
  return (
    <>
      <div className="grid gap-4 md:grid-cols-2">
        {[...MAIN_FIELDS, servicePasswordField(hasStoredPassword)].map((spec) => (
          <ConfigField key={spec.name} spec={spec} form={form} />
        ))}
      </div>
      <div className="mt-4 flex flex-wrap gap-6">
        {MAIN_CHECKBOXES.map(([name, label, help]) => (
          <Checkbox key={name} form={form} name={name} label={label} title={help} />
        ))}
      </div>
    </>
  );
}

export function SyncSettings({ form }: { form: ConfigForm }) {
  return (
    <Card>
      <h2 className="font-medium">Directory sync</h2>
      <div className="mt-4 grid gap-4 md:grid-cols-3">
        {SYNC_FIELDS.map((spec) => (
          <ConfigField key={spec.name} spec={spec} form={form} />
        ))}
      </div>
    </Card>
  );
}

/** Routing, failover, timeouts, TLS and the Required Group, folded away. */
export function AdvancedSettings({ form }: { form: ConfigForm }) {
  const startTlsError = form.formState.errors.startTls?.message;
  return (
    <Card>
      <details>
        <summary className="cursor-pointer font-medium">Advanced settings</summary>
        <div className="mt-4 grid gap-4 md:grid-cols-2">
          {ADVANCED_FIELDS.map((spec) => (
            <ConfigField key={spec.name} spec={spec} form={form} />
          ))}
          <div className="flex flex-wrap gap-6 md:col-span-2">
            {CONNECTION_CHECKBOXES.map(([name, label]) => (
              <Checkbox key={name} form={form} name={name} label={label} />
            ))}
            {startTlsError && <p className="w-full text-sm text-red-700">{startTlsError}</p>}
          </div>
          {TRUST_FIELDS.map((spec) => (
            <ConfigField key={spec.name} spec={spec} form={form} />
          ))}
        </div>
      </details>
    </Card>
  );
}
