"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useFieldArray, useForm } from "react-hook-form";
import { applyActionErrors, Button, Field, fieldProps, FormError, inputClass, LinkButton } from "@/app/_components/ui";
import { normalizeDn } from "@/lib/ldap/dn";
import { groupSchema, type GroupFormValues, type GroupInput } from "@/lib/validation/group";
import { createGroupAction, updateGroupAction } from "../actions";
import { LdapGroupPicker, NoLdapConfiguration, type PickerConfig } from "./ldap-group-picker";

export interface GroupFormProps {
  /** Absent when creating. */
  groupId?: string;
  /** "all_users" hides the LDAP Group field (everyone is a member already). */
  systemKey?: string | null;
  defaults: GroupFormValues;
  ldapConfigs: PickerConfig[];
}

/** The label of DN row `index`: the first is exactly "LDAP Group", like the documentation. */
function dnLabel(index: number) {
  return index === 0 ? "LDAP Group" : `LDAP Group ${index + 1}`;
}

function configLabel(index: number) {
  return index === 0 ? "Configuration" : `Configuration ${index + 1}`;
}

export function GroupForm({ groupId, systemKey, defaults, ldapConfigs }: GroupFormProps) {
  const router = useRouter();
  const [pickerOpen, setPickerOpen] = useState(false);
  const [saved, setSaved] = useState(false);
  const {
    register,
    control,
    handleSubmit,
    getValues,
    setError,
    setValue,
    formState: { errors, isSubmitting },
  } = useForm<GroupFormValues, unknown, GroupInput>({ resolver: zodResolver(groupSchema), defaultValues: defaults });
  const mappings = useFieldArray({ control, name: "ldapMappings" });
  const settings = useFieldArray({ control, name: "settings" });
  const showLdap = systemKey !== "all_users";
  const busy = isSubmitting || saved;
  // With a single directory there is nothing to choose; with several the admin picks each time.
  const defaultConfigId = ldapConfigs.length === 1 ? ldapConfigs[0]!.id : "";

  async function onSubmit() {
    // The raw values, so field-error indices from the server match the rows on screen.
    const values = getValues();
    const result = groupId ? await updateGroupAction({ id: groupId, values }) : await createGroupAction(values);
    if (!result.ok) {
      applyActionErrors(
        result,
        setError,
        (field) => field in values || /^(ldapMappings|settings)\.\d+\.\w+$/.test(field),
      );
      return;
    }
    setSaved(true);
    const notice = groupId ? "updated" : "created";
    router.push(`/admin/groups?notice=${notice}&name=${encodeURIComponent(result.data.name)}`);
  }

  /**
   * Puts a picked DN, with the configuration it was found in, into the first empty row or a new
   * row; a DN already listed for that configuration is not repeated.
   */
  function pick(dn: string, configId: string) {
    const rows = getValues("ldapMappings");
    const normal = normalizeDn(dn);
    const listed = (row: { dn: string; configId: string }) => {
      const other = normalizeDn(row.dn);
      return row.configId === configId && normal.ok && other.ok && other.value === normal.value;
    };
    if (rows.some(listed)) return;
    const empty = rows.findIndex((row) => row.dn.trim() === "");
    if (empty < 0) return mappings.append({ configId, dn });
    setValue(`ldapMappings.${empty}.configId`, configId, { shouldDirty: true });
    setValue(`ldapMappings.${empty}.dn`, dn, { shouldValidate: true, shouldDirty: true });
  }

  return (
    <>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="space-y-5">
        <Field id="group-name" label="Name" error={errors.name?.message}>
          <input {...fieldProps("group-name", errors.name?.message)} autoComplete="off" {...register("name")} />
        </Field>
        <Field id="group-description" label="Description" error={errors.description?.message}>
          <textarea
            rows={2}
            {...fieldProps("group-description", errors.description?.message)}
            {...register("description")}
          />
        </Field>
        <Field
          id="group-priority"
          label="Priority"
          error={errors.priority?.message}
          help="A whole number, unique across groups. When groups set the same setting, the lower number wins."
        >
          <input
            type="number"
            inputMode="numeric"
            step={1}
            {...fieldProps("group-priority", errors.priority?.message, true)}
            className={`${inputClass} max-w-40`}
            {...register("priority", { valueAsNumber: true })}
          />
        </Field>

        {showLdap ? (
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">LDAP Group</legend>
            <p className="text-xs text-slate-500">
              Users in any of these directory groups become members at each sign-in, e.g.
              CN=kasm_group_1,OU=MyOrg,DC=kasm,DC=core. Each group counts only when the configuration next to it found
              the user: the same DN in another directory grants nothing.
            </p>
            {mappings.fields.map((row, index) => {
              const id = `ldap-dn-${index}`;
              const error = errors.ldapMappings?.[index]?.dn?.message;
              const configId = `ldap-config-${index}`;
              const configError = errors.ldapMappings?.[index]?.configId?.message;
              return (
                <div key={row.id} className="flex items-start gap-2">
                  <div className="w-56">
                    <label htmlFor={configId} className="sr-only">
                      {configLabel(index)}
                    </label>
                    <select
                      {...fieldProps(configId, configError)}
                      className={`${inputClass} mt-0`}
                      {...register(`ldapMappings.${index}.configId`)}
                    >
                      <option value="">
                        {ldapConfigs.length === 0 ? "No LDAP configuration" : "Choose a configuration…"}
                      </option>
                      {ldapConfigs.map((config) => (
                        <option key={config.id} value={config.id}>
                          {config.name}
                          {config.enabled ? "" : " (disabled)"}
                        </option>
                      ))}
                    </select>
                    {configError && (
                      <p id={`${configId}-error`} className="mt-1 text-sm text-red-700">
                        {configError}
                      </p>
                    )}
                  </div>
                  <div className="flex-1">
                    <label htmlFor={id} className="sr-only">
                      {dnLabel(index)}
                    </label>
                    <input
                      {...fieldProps(id, error)}
                      className={`${inputClass} mt-0 font-mono`}
                      spellCheck={false}
                      autoComplete="off"
                      {...register(`ldapMappings.${index}.dn`)}
                    />
                    {error && (
                      <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
                        {error}
                      </p>
                    )}
                  </div>
                  <Button
                    aria-label={`Remove DN row ${index + 1}`}
                    onClick={() =>
                      mappings.fields.length > 1 ? mappings.remove(index) : setValue(`ldapMappings.${index}.dn`, "")
                    }
                  >
                    Remove
                  </Button>
                </div>
              );
            })}
            <div className="flex flex-wrap items-center gap-2">
              <Button
                onClick={() =>
                  mappings.append(
                    { configId: defaultConfigId, dn: "" },
                    { focusName: `ldapMappings.${mappings.fields.length}.dn` },
                  )
                }
              >
                Add another DN
              </Button>
              {ldapConfigs.length > 0 && <Button onClick={() => setPickerOpen(true)}>Search the directory…</Button>}
            </div>
            {ldapConfigs.length === 0 && <NoLdapConfiguration />}
          </fieldset>
        ) : (
          <p className="text-sm text-slate-600">Every user is a member of this group, so it needs no LDAP Group.</p>
        )}

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Settings</legend>
          <p className="text-xs text-slate-500">
            Key/value pairs for members. When several groups set a key, the group with the lowest priority number wins.
          </p>
          {settings.fields.length === 0 && <p className="text-sm text-slate-600">No settings yet.</p>}
          {settings.fields.map((row, index) => {
            const keyError = errors.settings?.[index]?.key?.message;
            const valueError = errors.settings?.[index]?.value?.message;
            return (
              <div key={row.id} className="flex items-start gap-2">
                <div className="w-56">
                  <label htmlFor={`setting-key-${index}`} className="sr-only">
                    Setting key {index + 1}
                  </label>
                  <input
                    {...fieldProps(`setting-key-${index}`, keyError)}
                    className={`${inputClass} mt-0 font-mono`}
                    placeholder="key"
                    autoComplete="off"
                    {...register(`settings.${index}.key`)}
                  />
                  {keyError && (
                    <p id={`setting-key-${index}-error`} className="mt-1 text-sm text-red-700">
                      {keyError}
                    </p>
                  )}
                </div>
                <div className="flex-1">
                  <label htmlFor={`setting-value-${index}`} className="sr-only">
                    Setting value {index + 1}
                  </label>
                  <input
                    {...fieldProps(`setting-value-${index}`, valueError)}
                    className={`${inputClass} mt-0 font-mono`}
                    placeholder="value"
                    autoComplete="off"
                    {...register(`settings.${index}.value`)}
                  />
                  {valueError && (
                    <p id={`setting-value-${index}-error`} className="mt-1 text-sm text-red-700">
                      {valueError}
                    </p>
                  )}
                </div>
                <Button aria-label={`Remove setting ${index + 1}`} onClick={() => settings.remove(index)}>
                  Remove
                </Button>
              </div>
            );
          })}
          <Button
            onClick={() =>
              settings.append({ key: "", value: "" }, { focusName: `settings.${settings.fields.length}.key` })
            }
          >
            Add setting
          </Button>
        </fieldset>

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
