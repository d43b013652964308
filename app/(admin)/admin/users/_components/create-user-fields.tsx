import type { FieldErrors, UseFormRegister } from "react-hook-form";
import { Field, fieldProps } from "@/app/_components/ui";
import { PASSWORD_MIN_LENGTH, type CreateUserFormValues } from "@/lib/validation/user";

interface FieldsProps {
  register: UseFormRegister<CreateUserFormValues>;
  errors: FieldErrors<CreateUserFormValues>;
}

/** Who the new user is: the login and an optional email. */
export function UserIdentityFields({ register, errors }: FieldsProps) {
  return (
    <>
      <Field
        id="user-username"
        label="Username"
        error={errors.username?.message}
        help="The login, e.g. jane@portal.local. Stored in lower case."
      >
        <input
          {...fieldProps("user-username", errors.username?.message, true)}
          autoComplete="off"
          spellCheck={false}
          {...register("username")}
        />
      </Field>
      <Field id="user-email" label="Email" error={errors.email?.message} help="Optional.">
        <input
          type="email"
          {...fieldProps("user-email", errors.email?.message, true)}
          autoComplete="off"
          {...register("email")}
        />
      </Field>
    </>
  );
}

/** The password to set, or (with Generate checked) the promise of a random one shown once. */
export function PasswordChoice({ register, errors, generate }: FieldsProps & { generate: boolean }) {
  return (
    <div className="space-y-2">
      {generate ? (
        <p className="text-sm">
          <span className="block font-medium">Password</span>
          <span className="text-slate-600">
            A random password is generated and shown once after you create the user.
          </span>
        </p>
      ) : (
        <Field
          id="user-password"
          label="Password"
          error={errors.password?.message}
          help={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        >
          <input
            type="password"
            {...fieldProps("user-password", errors.password?.message, true)}
            autoComplete="new-password"
            {...register("password")}
          />
        </Field>
      )}
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" className="h-4 w-4" {...register("generatePassword")} />
        Generate
      </label>
    </div>
  );
}
