import { z } from "zod";
import { parseLogin } from "@/lib/ldap/login";

/** The sign-in form; the same schema validates the credentials on the server. */
export const loginSchema = z.object({
  username: z
    .string()
    .trim()
    .min(1, "Enter your username")
    .superRefine((value, ctx) => {
      const parsed = parseLogin(value);
      if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error.message });
    }),
  password: z
    .string()
    .max(1024, "That password is too long")
    .refine((value) => value.trim().length > 0, "Enter your password"),
});

export type LoginInput = z.infer<typeof loginSchema>;
