/**
 * The admin page's import form: the document's text, pasted or read from a file. The same schema
 * checks the form and its server actions; the document itself is checked by schema.ts. Pure.
 */
import { z } from "zod";

/** Under the server actions' body limit (1 MB), with room for the request around it. */
export const DOCUMENT_MAX_CHARACTERS = 900_000;

export const configImportSchema = z.object({
  document: z
    .string()
    .trim()
    .min(1, "Paste a configuration document or choose its file")
    .max(
      DOCUMENT_MAX_CHARACTERS,
      `The document is longer than ${DOCUMENT_MAX_CHARACTERS} characters: import it with npm run config:import`,
    ),
});

export type ConfigImportInput = z.infer<typeof configImportSchema>;
