import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

const admin = { id: "admin-1", username: "admin@portal.local", role: "admin" as const };
const requireAdmin = vi.fn(async () => admin);
const recordAudit = vi.fn<(entry: unknown) => Promise<void>>(async () => {});
const revalidatePath = vi.fn<(...args: unknown[]) => void>();

vi.mock("@/lib/auth/guards", () => ({ requireAdmin: () => requireAdmin() }));
vi.mock("@/lib/db/audit", () => ({ recordAudit: (entry: unknown) => recordAudit(entry) }));
vi.mock("next/cache", () => ({ revalidatePath: (...args: unknown[]) => revalidatePath(...args) }));

const { ActionError, adminAction, invalidInputFailure } = await import("./admin-action");

const thing = z.object({ name: z.string().min(1, "Enter a name"), tags: z.array(z.string().max(3, "Too long")) });
const withId = z.object({ id: z.string().min(1, "Unknown thing."), values: thing });

function issuesOf(schema: z.ZodType, value: unknown) {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error("expected a parse failure");
  return parsed.error.issues;
}

beforeEach(() => {
  vi.clearAllMocks();
  requireAdmin.mockImplementation(async () => admin);
});

describe("invalidInputFailure", () => {
  it("names every issue's field by its path by default", () => {
    expect(invalidInputFailure(issuesOf(thing, { name: "", tags: ["ok", "long"] }))).toEqual({
      ok: false,
      fieldErrors: { name: "Enter a name", "tags.1": "Too long" },
    });
  });

  it("answers one form error for inputs that are ids", () => {
    expect(invalidInputFailure(issuesOf(thing, undefined), { formError: "Unknown thing." })).toEqual({
      ok: false,
      formError: "Unknown thing.",
    });
  });

  it("names fields within `fieldsOf`, and answers the form error alone when anything else (an id) is wrong", () => {
    const invalid = { formError: "Unknown thing.", fieldsOf: "values" };
    expect(invalidInputFailure(issuesOf(withId, { id: "t1", values: { name: "", tags: [] } }), invalid)).toEqual({
      ok: false,
      fieldErrors: { name: "Enter a name" },
    });
    expect(invalidInputFailure(issuesOf(withId, { id: "", values: { name: "", tags: [] } }), invalid)).toEqual({
      ok: false,
      formError: "Unknown thing.",
    });
    expect(invalidInputFailure(issuesOf(withId, undefined), invalid)).toEqual({
      ok: false,
      formError: "Unknown thing.",
    });
  });

  it("leaves anything else to a function", () => {
    const failure = invalidInputFailure(issuesOf(thing, { name: "", tags: [] }), (issues) => ({
      formError: `Fix ${issues.length} field`,
    }));
    expect(failure).toEqual({ ok: false, formError: "Fix 1 field" });
  });
});

describe("adminAction", () => {
  const run = vi.fn(async (input: z.output<typeof withId>) => ({
    data: { id: input.id },
    audit: { target: input.values.name, details: { tags: input.values.tags.length } },
  }));
  const save = adminAction({
    input: withId,
    invalid: { formError: "Unknown thing.", fieldsOf: "values" },
    audit: "thing.update",
    revalidate: ({ id }) => ["/things", { path: `/things/${id}`, type: "layout" }],
    run,
  });
  const valid = { id: "t1", values: { name: "Thing", tags: ["a"] } };

  it("checks the administrator before anything else: a refusal propagates (redirect, forbidden)", async () => {
    requireAdmin.mockImplementation(async () => {
      throw new Error("NEXT_HTTP_ERROR_FALLBACK;403");
    });
    await expect(save(undefined as never)).rejects.toThrow("403");
    expect(run).not.toHaveBeenCalled();
  });

  it("runs with the parsed input, audits the success, revalidates and answers the data", async () => {
    expect(await save({ id: "t1", values: { name: "  Thing", tags: ["a"] } })).toEqual({
      ok: true,
      data: { id: "t1" },
    });
    expect(run).toHaveBeenCalledWith({ id: "t1", values: { name: "  Thing", tags: ["a"] } }, admin);
    expect(recordAudit).toHaveBeenCalledWith({
      actor: admin.username,
      action: "thing.update",
      target: "  Thing",
      outcome: "success",
      details: { tags: 1 },
    });
    expect(revalidatePath.mock.calls).toEqual([["/things"], ["/things/t1", "layout"]]);
  });

  it("answers a parse failure without running, auditing or revalidating", async () => {
    expect(await save({ id: "t1", values: { name: "", tags: [] } })).toEqual({
      ok: false,
      fieldErrors: { name: "Enter a name" },
    });
    expect(run).not.toHaveBeenCalled();
    expect(recordAudit).not.toHaveBeenCalled();
    expect(revalidatePath).not.toHaveBeenCalled();
  });

  it("maps an ActionError to field and form errors, audits it as a failure when it carries a note, and revalidates nothing", async () => {
    run.mockRejectedValueOnce(
      new ActionError({
        fieldErrors: { name: "Taken" },
        formError: "Reload",
        audit: { target: "Thing", details: { reason: "conflict" } },
      }),
    );
    expect(await save(valid)).toEqual({ ok: false, fieldErrors: { name: "Taken" }, formError: "Reload" });
    expect(recordAudit).toHaveBeenCalledWith({
      actor: admin.username,
      action: "thing.update",
      target: "Thing",
      outcome: "failure",
      details: { reason: "conflict" },
    });
    expect(revalidatePath).not.toHaveBeenCalled();

    recordAudit.mockClear();
    run.mockRejectedValueOnce(new ActionError({ formError: "Gone" }));
    expect(await save(valid)).toEqual({ ok: false, formError: "Gone" });
    expect(recordAudit).not.toHaveBeenCalled();
  });

  it("lets an unexpected error propagate", async () => {
    run.mockRejectedValueOnce(new Error("database is locked"));
    await expect(save(valid)).rejects.toThrow("database is locked");
    expect(recordAudit).not.toHaveBeenCalled();
  });

  it("treats an audited action whose run forgot its note as a bug", async () => {
    run.mockResolvedValueOnce({ data: { id: "t1" } } as never);
    await expect(save(valid)).rejects.toThrow("thing.update: the action returned no audit note");
  });

  it("needs no audit or revalidation for a read", async () => {
    const search = adminAction({
      input: z.object({ text: z.string().trim() }),
      run: async ({ text }) => ({ data: text.toUpperCase() }),
    });
    expect(await search({ text: " kasm " })).toEqual({ ok: true, data: "KASM" });
    expect(recordAudit).not.toHaveBeenCalled();
    expect(revalidatePath).not.toHaveBeenCalled();
  });
});
