import { z } from "zod";

/** What a person names a factor, to tell them apart in a list. */
export const factorNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a name, e.g. Phone or YubiKey")
  .max(60, "Use at most 60 characters");

/** A code at the second step: six digits from an app, or a recovery code. */
export const secondFactorCodeSchema = z.object({
  code: z
    .string()
    .trim()
    .min(1, "Enter the code from your app, or a recovery code")
    .max(40, "That is not a code from your app or a recovery code"),
});
