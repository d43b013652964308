import { parseLogin } from "@/lib/ldap/login";
import { z } from "zod";
import { recordIdSchema } from "./record-id";

/** Local-account forms on /admin/users; the same schemas validate the server actions. */
export const PASSWORD_MIN_LENGTH = 12;

const passwordChoice = {
  /** True: the server generates the password and shows it once. */
  generatePassword: z.boolean(),
  password: z.string().max(1024, "That password is too long"),
};

function requirePasswordUnlessGenerated(value: { generatePassword: boolean; password: string }, ctx: z.RefinementCtx) {
  if (value.generatePassword) return;
  if (value.password.length < PASSWORD_MIN_LENGTH) {
    ctx.addIssue({
      code: "custom",
      path: ["password"],
      message:
        value.password.length === 0
          ? "Enter a password or choose Generate"
          : `Use at least ${PASSWORD_MIN_LENGTH} characters`,
    });
  }
}

export const createUserSchema = z
  .object({
    username: z
      .string()
      .trim()
      .toLowerCase()
      .min(1, "Enter a username")
      .max(320, "That username is too long")
      .superRefine((value, ctx) => {
        // The same rules as the sign-in form: an account nobody could sign in with is refused.
        const parsed = parseLogin(value);
        if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error.message });
      }),
    email: z
      .string()
      .trim()
      .max(320, "That email address is too long")
      .refine(
        (value) => value === "" || z.email().safeParse(value).success,
        "Enter a valid email address, or leave it empty",
      ),
    ...passwordChoice,
  })
  .superRefine(requirePasswordUnlessGenerated);

export type CreateUserFormValues = z.input<typeof createUserSchema>;
export type CreateUserInput = z.output<typeof createUserSchema>;

export const resetPasswordSchema = z
  .object({ userId: recordIdSchema("Unknown user."), ...passwordChoice })
  .superRefine(requirePasswordUnlessGenerated);

export type ResetPasswordInput = z.infer<typeof resetPasswordSchema>;

export const userIdSchema = z.object({ userId: recordIdSchema("Unknown user.") });

export const membershipSchema = z.object({
  userId: recordIdSchema("Unknown user."),
  groupId: recordIdSchema("Choose a group"),
});

export type MembershipInput = z.infer<typeof membershipSchema>;
