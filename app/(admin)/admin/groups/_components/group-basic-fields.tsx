import type { FieldErrors, UseFormRegister } from "react-hook-form";
import { Field, fieldProps, inputClass } from "@/app/_components/ui";
import type { GroupFormValues } from "@/lib/validation/group";

/** The group's own fields: name, description and priority. */
export function GroupBasicFields({
  register,
  errors,
}: {
  register: UseFormRegister<GroupFormValues>;
  errors: FieldErrors<GroupFormValues>;
}) {
  return (
    <>
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
    </>
  );
}
