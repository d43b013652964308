import { z } from "zod";

/**
 * A stored row's id as an action receives it: Prisma's cuid, or any other short token of letters,
 * digits, '_' and '-' (rows arranged by tests and imports carry UUIDs). Never a path or a filter.
 */
export function recordIdSchema(message = "Unknown record") {
  return z
    .string()
    .min(1, message)
    .max(64, message)
    .regex(/^[A-Za-z0-9_-]*$/, message);
}
