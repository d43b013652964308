import { z } from "zod";

/** The sign-in form; the same schema validates the credentials on the server. */
export const loginSchema = z.object({
  username: z.string().trim().min(1, "Enter your username").max(320, "That username is too long"),
  password: z
    .string()
    .max(1024, "That password is too long")
    .refine((value) => value.trim().length > 0, "Enter your password"),
});

export type LoginInput = z.infer<typeof loginSchema>;
