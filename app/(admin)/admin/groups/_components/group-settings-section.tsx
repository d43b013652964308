import type { FieldErrors, UseFieldArrayReturn, UseFormRegister } from "react-hook-form";
import { Button, fieldProps, inputClass } from "@/app/_components/ui";
import { REQUIRE_TWO_FACTOR, requiresTwoFactor } from "@/lib/two-factor/requirement";
import type { GroupFormValues } from "@/lib/validation/group";
import { RowFieldError } from "./row-field-error";

type Register = UseFormRegister<GroupFormValues>;

/** One half of a setting row: its key or its value. */
function SettingInput({
  part,
  index,
  register,
  error,
}: {
  part: "key" | "value";
  index: number;
  register: Register;
  error?: string;
}) {
  const id = `setting-${part}-${index}`;
  return (
    <div className={part === "key" ? "w-56" : "flex-1"}>
      <label htmlFor={id} className="sr-only">
        Setting {part} {index + 1}
      </label>
      <input
        {...fieldProps(id, error)}
        className={`${inputClass} mt-0 font-mono`}
        placeholder={part}
        autoComplete="off"
        {...register(`settings.${index}.${part}`)}
      />
      <RowFieldError id={id} message={error} />
    </div>
  );
}

/** The key/value settings the group gives its members, one row each. */
export function GroupSettingsSection({
  settings,
  register,
  errors,
}: {
  settings: UseFieldArrayReturn<GroupFormValues, "settings">;
  register: Register;
  errors: FieldErrors<GroupFormValues>;
}) {
  const add = () => settings.append({ key: "", value: "" }, { focusName: `settings.${settings.fields.length}.key` });
  // "Require Two-Factor" is the setting require_two_factor=true, so it is resolved by priority like any other.
  const twoFactorRow = settings.fields.findIndex((field) => field.key === REQUIRE_TWO_FACTOR);
  const requireTwoFactor = twoFactorRow >= 0 && requiresTwoFactor(settings.fields[twoFactorRow]!.value);
  const setRequireTwoFactor = (required: boolean) => {
    if (required && twoFactorRow >= 0) settings.update(twoFactorRow, { key: REQUIRE_TWO_FACTOR, value: "true" });
    else if (required) settings.append({ key: REQUIRE_TWO_FACTOR, value: "true" }, { shouldFocus: false });
    else if (twoFactorRow >= 0) settings.remove(twoFactorRow);
  };
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">Settings</legend>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={requireTwoFactor}
          onChange={(event) => setRequireTwoFactor(event.target.checked)}
        />
        Require Two-Factor
        <span className="text-xs text-slate-500">
          members sign in with an authenticator app or a passkey too (sets {REQUIRE_TWO_FACTOR}=true)
        </span>
      </label>
      <p className="text-xs text-slate-500">
        Key/value pairs for members. When several groups set a key, the group with the lowest priority number wins.
      </p>
      {settings.fields.length === 0 && <p className="text-sm text-slate-600">No settings yet.</p>}
      {settings.fields.map((field, index) => (
        <div key={field.id} className="flex items-start gap-2">
          <SettingInput part="key" index={index} register={register} error={errors.settings?.[index]?.key?.message} />
          <SettingInput
            part="value"
            index={index}
            register={register}
            error={errors.settings?.[index]?.value?.message}
          />
          <Button aria-label={`Remove setting ${index + 1}`} onClick={() => settings.remove(index)}>
            Remove
          </Button>
        </div>
      ))}
      <Button onClick={add}>Add setting</Button>
    </fieldset>
  );
}
