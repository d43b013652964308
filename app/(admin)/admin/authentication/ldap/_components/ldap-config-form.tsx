"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm, type Path } from "react-hook-form";
import { Button, Card, FormError, LinkButton } from "@/app/_components/ui";
import type { ActionResult } from "@/lib/action-result";
import { ldapConfigSchema, type LdapConfigFields, type LdapConfigInput } from "@/lib/ldap/config";
import { saveLdapConfigAction, testUnsavedLdapConfigAction } from "../actions";
import { AdvancedSettings, MainSettings, SyncSettings } from "./ldap-config-fields";
import { PresetBar } from "./preset-bar";
import { TestDialog } from "./test-dialog";

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
  const form = useForm<LdapConfigFields, unknown, LdapConfigInput>({
    resolver: zodResolver(ldapConfigSchema),
    defaultValues: initial,
    mode: "onTouched",
  });
  const {
    handleSubmit,
    setError,
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

  return (
    <>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="space-y-6" aria-label="LDAP configuration">
        <Card>
          <PresetBar id={id} form={form} />
          <MainSettings form={form} hasStoredPassword={hasStoredPassword} />
        </Card>
        <SyncSettings form={form} />
        <AdvancedSettings form={form} />
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
