import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useFieldArray, useForm } from "react-hook-form";
import { applyActionErrors } from "@/app/_components/ui";
import { normalizeDn } from "@/lib/ldap/dn";
import { groupSchema, type GroupFormValues, type GroupInput } from "@/lib/validation/group";
import { createGroupAction, updateGroupAction } from "../actions";

/**
 * The state of the group form: its fields and rows, saving (create without `groupId`, update
 * with it) and putting a DN picked in the directory into the LDAP rows.
 */
export function useGroupForm(groupId: string | undefined, defaults: GroupFormValues) {
  const router = useRouter();
  const [saved, setSaved] = useState(false);
  const form = useForm<GroupFormValues, unknown, GroupInput>({
    resolver: zodResolver(groupSchema),
    defaultValues: defaults,
  });
  const { getValues, setError, setValue } = form;
  const mappings = useFieldArray({ control: form.control, name: "ldapMappings" });
  const settings = useFieldArray({ control: form.control, name: "settings" });

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

  return { form, mappings, settings, saved, onSubmit, pick };
}
