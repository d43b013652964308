import type { FieldErrors, UseFieldArrayReturn, UseFormRegister, UseFormSetValue } from "react-hook-form";
import { Button, fieldProps, inputClass } from "@/app/_components/ui";
import type { GroupFormValues } from "@/lib/validation/group";
import { NoLdapConfiguration, type PickerConfig } from "./ldap-group-picker";
import { RowFieldError } from "./row-field-error";

type Mappings = UseFieldArrayReturn<GroupFormValues, "ldapMappings">;

interface RowProps {
  index: number;
  register: UseFormRegister<GroupFormValues>;
  errors: FieldErrors<GroupFormValues>;
  ldapConfigs: PickerConfig[];
}

/** The label of DN row `index`: the first is exactly "LDAP Group", like the documentation. */
function dnLabel(index: number) {
  return index === 0 ? "LDAP Group" : `LDAP Group ${index + 1}`;
}

function configLabel(index: number) {
  return index === 0 ? "Configuration" : `Configuration ${index + 1}`;
}

/** The configuration a DN row counts for. */
function MappingConfigCell({ index, register, errors, ldapConfigs }: RowProps) {
  const id = `ldap-config-${index}`;
  const error = errors.ldapMappings?.[index]?.configId?.message;
  return (
    <div className="w-56">
      <label htmlFor={id} className="sr-only">
        {configLabel(index)}
      </label>
      <select
        {...fieldProps(id, error)}
        className={`${inputClass} mt-0`}
        {...register(`ldapMappings.${index}.configId`)}
      >
        <option value="">{ldapConfigs.length === 0 ? "No LDAP configuration" : "Choose a configuration…"}</option>
        {ldapConfigs.map((config) => (
          <option key={config.id} value={config.id}>
            {config.name}
            {config.enabled ? "" : " (disabled)"}
          </option>
        ))}
      </select>
      <RowFieldError id={id} message={error} />
    </div>
  );
}

/** The directory group DN of a row. */
function MappingDnCell({ index, register, errors }: Omit<RowProps, "ldapConfigs">) {
  const id = `ldap-dn-${index}`;
  const error = errors.ldapMappings?.[index]?.dn?.message;
  return (
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
      <RowFieldError id={id} message={error} />
    </div>
  );
}

/**
 * The directory groups whose members join this group at sign-in, one row per configuration and
 * DN, with the buttons to add a row or search the directory.
 */
export function LdapMappingsSection({
  mappings,
  setValue,
  onSearch,
  ...row
}: Omit<RowProps, "index"> & {
  mappings: Mappings;
  setValue: UseFormSetValue<GroupFormValues>;
  onSearch: () => void;
}) {
  // With a single directory there is nothing to choose; with several the admin picks each time.
  const defaultConfigId = row.ldapConfigs.length === 1 ? row.ldapConfigs[0]!.id : "";
  const remove = (index: number) =>
    mappings.fields.length > 1 ? mappings.remove(index) : setValue(`ldapMappings.${index}.dn`, "");
  const add = () =>
    mappings.append({ configId: defaultConfigId, dn: "" }, { focusName: `ldapMappings.${mappings.fields.length}.dn` });
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">LDAP Group</legend>
      <p className="text-xs text-slate-500">
        Users in any of these directory groups become members at each sign-in, e.g.
        CN=kasm_group_1,OU=MyOrg,DC=kasm,DC=core. Each group counts only when the configuration next to it found the
        user: the same DN in another directory grants nothing.
      </p>
      {mappings.fields.map((field, index) => (
        <div key={field.id} className="flex items-start gap-2">
          <MappingConfigCell index={index} {...row} />
          <MappingDnCell index={index} register={row.register} errors={row.errors} />
          <Button aria-label={`Remove DN row ${index + 1}`} onClick={() => remove(index)}>
            Remove
          </Button>
        </div>
      ))}
      <div className="flex flex-wrap items-center gap-2">
        <Button onClick={add}>Add another DN</Button>
        {row.ldapConfigs.length > 0 && <Button onClick={onSearch}>Search the directory…</Button>}
      </div>
      {row.ldapConfigs.length === 0 && <NoLdapConfiguration />}
    </fieldset>
  );
}
