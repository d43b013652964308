"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState, type ChangeEvent } from "react";
import { useForm } from "react-hook-form";
import { applyActionErrors, Button, Field, fieldProps, FormError } from "@/app/_components/ui";
import { configImportSchema, type ConfigImportInput } from "@/lib/config-document/import-input";
import { applyConfigImportAction, previewConfigImportAction, type ImportReport } from "../actions";

/**
 * The import: a document pasted or read from a file; Preview lists what would change (or the
 * first problem, named by its path); Apply, once this text was previewed, writes it.
 */
export function ImportForm() {
  // The last answer about the text in the field; any edit clears it.
  const [report, setReport] = useState<ImportReport>();
  const {
    register,
    handleSubmit,
    setError,
    setValue,
    getValues,
    formState: { errors, isSubmitting },
  } = useForm<ConfigImportInput>({ resolver: zodResolver(configImportSchema), defaultValues: { document: "" } });
  const documentField = register("document", { onChange: () => setReport(undefined) });
  const error = errors.document?.message;
  const textareaProps = fieldProps("document", error, true);

  async function chooseFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    setValue("document", await file.text(), { shouldValidate: true });
    setReport(undefined);
  }

  async function submit(values: ConfigImportInput, action: typeof previewConfigImportAction) {
    const sent = getValues("document");
    const result = await action(values);
    if (getValues("document") !== sent) return; // edited meanwhile: the answer is about other text
    if (!result.ok) {
      setReport(undefined);
      applyActionErrors(result, setError, (field) => field === "document");
      return;
    }
    setReport(result.data);
  }

  const preview = handleSubmit((values) => submit(values, previewConfigImportAction));
  const apply = handleSubmit((values) => submit(values, applyConfigImportAction));
  const canApply = report !== undefined && !report.applied && report.changes > 0;

  return (
    <form onSubmit={preview} noValidate className="mt-4 space-y-4">
      <div>
        <label htmlFor="document-file" className="block text-sm font-medium">
          Document file
        </label>
        <input
          id="document-file"
          type="file"
          accept=".json,application/json"
          onChange={chooseFile}
          className="mt-1 text-sm"
        />
      </div>
      <Field
        id="document"
        label="Configuration document (JSON)"
        error={error}
        help="Choose a file above, or paste the document here."
      >
        <textarea
          {...documentField}
          {...textareaProps}
          rows={14}
          spellCheck={false}
          className={`${textareaProps.className} font-mono text-xs`}
        />
      </Field>
      <FormError message={errors.root?.server?.message} />
      {report && (
        <section
          aria-label={report.applied ? "Applied changes" : "Planned changes"}
          className="rounded-md border border-slate-200 bg-slate-50 p-4"
        >
          <h3 className="text-sm font-semibold">
            {report.applied ? "Applied" : report.changes > 0 ? "Preview: nothing is written until Apply" : "Preview"}
          </h3>
          <ul role="status" className="mt-2 space-y-1 font-mono text-xs">
            {report.lines.map((line, index) => (
              <li key={index}>{line}</li>
            ))}
          </ul>
        </section>
      )}
      <div className="flex gap-2">
        <Button type="submit" disabled={isSubmitting}>
          Preview
        </Button>
        <Button
          variant="primary"
          disabled={isSubmitting || !canApply}
          title={canApply ? undefined : "Preview a document with changes first"}
          onClick={apply}
        >
          Apply
        </Button>
      </div>
    </form>
  );
}
