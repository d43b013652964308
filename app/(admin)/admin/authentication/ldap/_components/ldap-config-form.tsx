"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm, type Path } from "react-hook-form";
import { Button, Card, Field, fieldProps, FormError, LinkButton } from "@/app/_components/ui";
import type { ActionResult } from "@/lib/action-result";
import { PRESETS, type Preset } from "@/lib/ldap/presets";
import { ldapConfigSchema, type LdapConfigFields, type LdapConfigInput } from "@/lib/ldap/config";
import { detectDirectoryAction, saveLdapConfigAction, testUnsavedLdapConfigAction } from "../actions";
import { TestDialog } from "./test-dialog";

const CHECKBOXES = [
  ["searchSubtree", "Search Subtree", "Find users anywhere below the Search Base (off: only directly under it)"],
  ["autoCreateAppUser", "Auto Create App User", "Create the app user at the first sign-in"],
  ["enabled", "Enabled", "Users of this configuration may sign in"],
] as const;

export function LdapConfigForm({
  id,
  initial,
  hasStoredPassword,
}: {
  id?: string;
  initial: LdapConfigInput;
  hasStoredPassword: boolean;
}) {
  const router = useRouter();
  const [testing, setTesting] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();
  const [detecting, setDetecting] = useState(false);
  const form = useForm<LdapConfigFields, unknown, LdapConfigInput>({
    resolver: zodResolver(ldapConfigSchema),
    defaultValues: initial,
    mode: "onTouched",
  });
  const {
    register,
    handleSubmit,
    setError,
    setValue,
    getValues,
    formState: { errors, isSubmitting },
  } = form;

  function applyErrors(result: Extract<ActionResult<unknown>, { ok: false }>) {
    for (const [field, message] of Object.entries(result.fieldErrors ?? {}))
      setError(field as Path<LdapConfigFields>, { message });
    if (result.formError) setError("root.server", { message: result.formError });
  }

  async function onSubmit(values: LdapConfigInput) {
    const result = await saveLdapConfigAction({ id, values });
    if (!result.ok) return applyErrors(result);
    router.push(`/admin/authentication/ldap?saved=${encodeURIComponent(values.name)}`);
    router.refresh();
  }

  function applyPreset(preset: Preset) {
    for (const [key, value] of Object.entries(preset.values))
      setValue(key as keyof Preset["values"], value as never, { shouldDirty: true });
    setNotice(`${preset.label} preset applied. ${preset.note}`);
  }

  async function detect() {
    setDetecting(true);
    setNotice(undefined);
    const result = await detectDirectoryAction({ id, values: getValues() });
    setDetecting(false);
    if (!result.ok)
      return setError("root.server", { message: `Detect failed: ${result.formError ?? "unknown error"}` });
    const probe = result.data;
    const preset = probe.suggestedPreset ? PRESETS[probe.suggestedPreset] : undefined;
    const facts = [
      probe.vendorName ?? probe.vendor,
      probe.namingContexts[0] ? `naming context ${probe.namingContexts[0]}` : "",
      probe.supportsPagedResults ? "paged results" : "no paged results",
      probe.inChainRule ? "AD in-chain rule available" : "no AD in-chain rule",
    ].filter(Boolean);
    if (!getValues("searchBase") && (probe.defaultNamingContext ?? probe.namingContexts[0])) {
      setValue("searchBase", probe.defaultNamingContext ?? probe.namingContexts[0]!, { shouldDirty: true });
    }
    setNotice(`Detected: ${facts.join(", ")}.${preset ? ` Suggested preset: ${preset.label}.` : ""}`);
  }

  return (
    <>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="space-y-6" aria-label="LDAP configuration">
        <Card>
          <div className="mb-4 flex flex-wrap items-center gap-2 text-sm">
            <span className="text-slate-600">Presets:</span>
            {Object.values(PRESETS).map((preset) => (
              <Button key={preset.id} onClick={() => applyPreset(preset)}>
                {preset.label}
              </Button>
            ))}
            <Button onClick={detect} disabled={detecting}>
              {detecting ? "Detecting…" : "Detect"}
            </Button>
          </div>
          {notice && (
            <p role="status" className="mb-4 rounded-md bg-blue-50 px-3 py-2 text-sm text-blue-900">
              {notice}
            </p>
          )}
          <div className="grid gap-4 md:grid-cols-2">
            <Field id="name" label="Name" error={errors.name?.message}>
              <input {...fieldProps("name", errors.name?.message)} {...register("name")} />
            </Field>
            <Field
              id="url"
              label="URL"
              error={errors.url?.message}
              help="ldaps://dc1.example.com or ldap://host:389 (with StartTLS)"
            >
              <input
                {...fieldProps("url", errors.url?.message, true)}
                placeholder="ldaps://dc1.kasm.core"
                {...register("url")}
              />
            </Field>
            <Field
              id="searchBase"
              label="Search Base"
              error={errors.searchBase?.message}
              help="DC=kasm,DC=core routes logins of user@kasm.core here"
            >
              <input {...fieldProps("searchBase", errors.searchBase?.message, true)} {...register("searchBase")} />
            </Field>
            <Field id="emailAttribute" label="Email Attribute" error={errors.emailAttribute?.message}>
              <input
                {...fieldProps("emailAttribute", errors.emailAttribute?.message)}
                {...register("emailAttribute")}
              />
            </Field>
            <div className="md:col-span-2">
              <Field
                id="searchFilter"
                label="Search Filter"
                error={errors.searchFilter?.message}
                help="{0} is the username before the @; {login} the whole login"
              >
                <input
                  {...fieldProps("searchFilter", errors.searchFilter?.message, true)}
                  className={`${fieldProps("searchFilter", undefined).className} font-mono`}
                  {...register("searchFilter")}
                />
              </Field>
            </div>
            <div className="md:col-span-2">
              <Field
                id="groupMembershipFilter"
                label="Group Membership Filter"
                error={errors.groupMembershipFilter?.message}
                help="{0} is the user's DN; {username} the username (posixGroup memberUid). Empty: use the user's memberOf"
              >
                <input
                  {...fieldProps("groupMembershipFilter", errors.groupMembershipFilter?.message, true)}
                  className={`${fieldProps("groupMembershipFilter", undefined).className} font-mono`}
                  {...register("groupMembershipFilter")}
                />
              </Field>
            </div>
            <Field id="serviceAccountDn" label="Service Account DN" error={errors.serviceAccountDn?.message}>
              <input
                {...fieldProps("serviceAccountDn", errors.serviceAccountDn?.message)}
                autoComplete="off"
                {...register("serviceAccountDn")}
              />
            </Field>
            <Field
              id="serviceAccountPassword"
              label="Service Account Password"
              error={errors.serviceAccountPassword?.message}
              help={
                hasStoredPassword
                  ? "A password is stored. Leave empty to keep it; changing the URL or DN requires typing it again."
                  : undefined
              }
            >
              <input
                {...fieldProps("serviceAccountPassword", errors.serviceAccountPassword?.message, hasStoredPassword)}
                type="password"
                autoComplete="new-password"
                placeholder={hasStoredPassword ? "•••••••• (stored)" : ""}
                {...register("serviceAccountPassword")}
              />
            </Field>
          </div>
          <div className="mt-4 flex flex-wrap gap-6">
            {CHECKBOXES.map(([name, label, help]) => (
              <label key={name} className="flex items-center gap-2 text-sm" title={help}>
                <input type="checkbox" {...register(name)} />
                {label}
              </label>
            ))}
          </div>
        </Card>

        <Card>
          <details>
            <summary className="cursor-pointer font-medium">Advanced settings</summary>
            <div className="mt-4 grid gap-4 md:grid-cols-2">
              <Field
                id="alternateDomains"
                label="Alternate Username Domains"
                error={errors.alternateDomains?.message}
                help="Comma list, e.g. kasm.local, corp.example; * routes usernames without a domain"
              >
                <input
                  {...fieldProps("alternateDomains", errors.alternateDomains?.message, true)}
                  {...register("alternateDomains")}
                />
              </Field>
              <Field
                id="displayOrder"
                label="Display Order"
                error={errors.displayOrder?.message}
                help="Configurations for the same domain are tried in this order"
              >
                <input
                  {...fieldProps("displayOrder", errors.displayOrder?.message, true)}
                  type="number"
                  {...register("displayOrder", { valueAsNumber: true })}
                />
              </Field>
              <div className="md:col-span-2">
                <Field
                  id="failoverUrls"
                  label="Failover URLs"
                  error={errors.failoverUrls?.message}
                  help="One per line; tried in order when the URL cannot be reached"
                >
                  <textarea
                    {...fieldProps("failoverUrls", errors.failoverUrls?.message, true)}
                    rows={2}
                    {...register("failoverUrls")}
                  />
                </Field>
              </div>
              <Field
                id="connectTimeoutMs"
                label="Connect Timeout"
                error={errors.connectTimeoutMs?.message}
                help="Milliseconds (default 5000)"
              >
                <input
                  {...fieldProps("connectTimeoutMs", errors.connectTimeoutMs?.message, true)}
                  type="number"
                  {...register("connectTimeoutMs", { valueAsNumber: true })}
                />
              </Field>
              <Field
                id="operationTimeoutMs"
                label="Operation Timeout"
                error={errors.operationTimeoutMs?.message}
                help="Milliseconds (default 10000)"
              >
                <input
                  {...fieldProps("operationTimeoutMs", errors.operationTimeoutMs?.message, true)}
                  type="number"
                  {...register("operationTimeoutMs", { valueAsNumber: true })}
                />
              </Field>
              <Field
                id="nestedGroupsCacheSeconds"
                label="Nesting Cache"
                error={errors.nestedGroupsCacheSeconds?.message}
                help="Seconds sign-ins reuse the nesting between groups (default 60, 0 = off). The user's own groups are always read fresh; Test always reads everything."
              >
                <input
                  {...fieldProps("nestedGroupsCacheSeconds", errors.nestedGroupsCacheSeconds?.message, true)}
                  type="number"
                  {...register("nestedGroupsCacheSeconds", { valueAsNumber: true })}
                />
              </Field>
              <div className="flex flex-wrap gap-6 md:col-span-2">
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" {...register("startTls")} /> StartTLS
                </label>
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" {...register("verifyCertificate")} /> Verify Certificate
                </label>
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" {...register("nestedGroups")} /> Nested Groups
                </label>
                {errors.startTls && <p className="w-full text-sm text-red-700">{errors.startTls.message}</p>}
              </div>
              <div className="md:col-span-2">
                <Field
                  id="caCertificate"
                  label="CA Certificate (PEM)"
                  error={errors.caCertificate?.message}
                  help="The CA that issued the directory's certificate, if not publicly trusted"
                >
                  <textarea
                    {...fieldProps("caCertificate", errors.caCertificate?.message, true)}
                    rows={4}
                    className={`${fieldProps("caCertificate", undefined).className} font-mono text-xs`}
                    {...register("caCertificate")}
                  />
                </Field>
              </div>
              <div className="md:col-span-2">
                <Field
                  id="requiredGroupDn"
                  label="Required Group"
                  error={errors.requiredGroupDn?.message}
                  help="Only members (direct or nested) of this group DN may sign in; works on every directory"
                >
                  <input
                    {...fieldProps("requiredGroupDn", errors.requiredGroupDn?.message, true)}
                    {...register("requiredGroupDn")}
                  />
                </Field>
              </div>
            </div>
          </details>
        </Card>

        <FormError message={errors.root?.server?.message} />
        <div className="flex gap-2">
          <Button type="submit" variant="primary" disabled={isSubmitting}>
            {isSubmitting ? "Saving…" : "Save"}
          </Button>
          <Button onClick={() => setTesting(true)}>Test LDAP Connection</Button>
          <LinkButton href="/admin/authentication/ldap" variant="ghost">
            Cancel
          </LinkButton>
        </div>
      </form>
      {/* Outside the form: the dialog's own form must not submit this one. */}
      <TestDialog
        open={testing}
        onClose={() => setTesting(false)}
        title="Test LDAP Connection (unsaved settings)"
        run={async (input) => {
          const result = await testUnsavedLdapConfigAction({ id, values: getValues(), test: input });
          if (!result.ok && result.fieldErrors) {
            for (const [field, message] of Object.entries(result.fieldErrors)) {
              if (field !== "username" && field !== "password") setError(field as Path<LdapConfigFields>, { message });
            }
          }
          return result;
        }}
      />
    </>
  );
}
