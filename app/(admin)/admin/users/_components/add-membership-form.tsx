"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { applyActionErrors, Button, FormError, inputClass, Notice } from "@/app/_components/ui";
import { membershipSchema, type MembershipInput } from "@/lib/validation/user";
import { addMembershipAction } from "../actions";

/** Adds a manual membership; groups the user is already in by hand are not offered. */
export function AddMembershipForm({ userId, groups }: { userId: string; groups: { id: string; name: string }[] }) {
  const [added, setAdded] = useState<string>();
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<MembershipInput>({ resolver: zodResolver(membershipSchema), defaultValues: { userId, groupId: "" } });

  async function onSubmit(values: MembershipInput) {
    setAdded(undefined);
    const result = await addMembershipAction(values);
    if (!result.ok) {
      applyActionErrors(result, setError, (field) => field === "groupId");
      return;
    }
    setAdded(result.data.group);
    reset({ userId, groupId: "" });
  }

  if (groups.length === 0) {
    return (
      <p className="text-sm text-slate-600">
        This user is already a manual member of every group. Create more groups under Groups.
      </p>
    );
  }
  const error = errors.groupId?.message;
  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="space-y-2">
      {added && <Notice>Added to {added}.</Notice>}
      <div className="flex items-end gap-2">
        <div className="min-w-56">
          <label htmlFor="membership-group" className="block text-sm font-medium">
            Group
          </label>
          <select
            id="membership-group"
            className={inputClass}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "membership-group-error" : undefined}
            {...register("groupId")}
          >
            <option value="">Choose a group…</option>
            {groups.map((group) => (
              <option key={group.id} value={group.id}>
                {group.name}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? "Adding…" : "Add to group"}
        </Button>
      </div>
      {error && (
        <p id="membership-group-error" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <FormError message={errors.root?.server?.message} />
    </form>
  );
}
