"use client";

import { useState } from "react";
import { Button, FormError, LinkButton } from "@/app/_components/ui";
import type { GroupFormValues } from "@/lib/validation/group";
import { GroupBasicFields } from "./group-basic-fields";
import { GroupSettingsSection } from "./group-settings-section";
import { LdapGroupPicker, type PickerConfig } from "./ldap-group-picker";
import { LdapMappingsSection } from "./ldap-mappings-section";
import { useGroupForm } from "./use-group-form";

export interface GroupFormProps {
  /** Absent when creating. */
  groupId?: string;
  /** "all_users" hides the LDAP Group field (everyone is a member already). */
  systemKey?: string | null;
  defaults: GroupFormValues;
  ldapConfigs: PickerConfig[];
}

export function GroupForm({ groupId, systemKey, defaults, ldapConfigs }: GroupFormProps) {
  const [pickerOpen, setPickerOpen] = useState(false);
  const { form, mappings, settings, saved, onSubmit, pick } = useGroupForm(groupId, defaults);
  const {
    register,
    handleSubmit,
    setValue,
    formState: { errors, isSubmitting },
  } = form;
  const showLdap = systemKey !== "all_users";
  const busy = isSubmitting || saved;

  return (
    <>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="space-y-5">
        <GroupBasicFields register={register} errors={errors} />
        {showLdap ? (
          <LdapMappingsSection
            mappings={mappings}
            register={register}
            errors={errors}
            setValue={setValue}
            ldapConfigs={ldapConfigs}
            onSearch={() => setPickerOpen(true)}
          />
        ) : (
          <p className="text-sm text-slate-600">Every user is a member of this group, so it needs no LDAP Group.</p>
        )}
        <GroupSettingsSection settings={settings} register={register} errors={errors} />
        <FormError message={errors.root?.server?.message} />
        <div className="flex gap-2">
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? "Saving…" : groupId ? "Save changes" : "Create group"}
          </Button>
          <LinkButton href="/admin/groups">Cancel</LinkButton>
        </div>
      </form>
      {showLdap && ldapConfigs.length > 0 && (
        <LdapGroupPicker configs={ldapConfigs} open={pickerOpen} onClose={() => setPickerOpen(false)} onPick={pick} />
      )}
    </>
  );
}
