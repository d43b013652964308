import { AdminLimitExceededError, InsufficientAccessError, PresenceFilter, SizeLimitExceededError, type Client } from "ldapts";
import { describe, expect, it } from "vitest";
import { searchAll } from "./search";

// What OpenLDAP 2.5 answered (e2e/directories/openldap/NOTES.md, "Restricted service accounts"):
// the plain search stops at the account's size limit (4), then the paged retry is refused.
// The real-server cases of 4 on both searches are in lib/ldap/integration/refusals.int.test.ts.
function clientFailing(pagedError: Error): Client {
  return {
    search: () => Promise.reject(new SizeLimitExceededError("")),
    searchPaginated: async function* () {
      yield* [];
      throw pagedError;
    },
  } as unknown as Client;
}

const context = { url: "ldap://127.0.0.1:3890", timeoutMs: 1_000 };
const options = { scope: "sub" as const, filter: new PresenceFilter({ attribute: "objectClass" }), attributes: ["1.1"] };

describe("searchAll after the size limit", () => {
  it.each(["pagedResults control not allowed", "illegal pagedResults page size"])(
    "a paged retry refused with adminLimitExceeded (%s) is still size_limit_exceeded",
    async (text) => {
      const found = await searchAll(clientFailing(new AdminLimitExceededError(text)), "dc=kasm,dc=core", options, "groups", context);
      expect(found.ok).toBe(false);
      if (found.ok) return;
      expect(found.error.code).toBe("size_limit_exceeded");
      expect(found.error.step).toBe("groups");
      expect(found.error.serverDiagnostic).toBe(text);
    },
  );

  it("a classified failure of the paged retry keeps its own code", async () => {
    const found = await searchAll(clientFailing(new InsufficientAccessError("")), "dc=kasm,dc=core", options, "groups", context);
    expect(!found.ok && found.error.code).toBe("insufficient_access");
  });
});
