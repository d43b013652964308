import {
  AdminLimitExceededError,
  InsufficientAccessError,
  PresenceFilter,
  SizeLimitExceededError,
  type Client,
} from "ldapts";
import { describe, expect, it } from "vitest";
import { searchAll, searchUpToLimit } from "./search";

// What OpenLDAP 2.5 answered (e2e/directories/openldap/NOTES.md, "Restricted service accounts"):
// the plain search stops at the account's size limit (4), then the paged retry is refused.
// The real-server cases of 4 on both searches are in lib/ldap/integration/access-size-limit-starttls.int.test.ts.
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
const options = {
  scope: "sub" as const,
  filter: new PresenceFilter({ attribute: "objectClass" }),
  attributes: ["1.1"],
};

describe("searchAll after the size limit", () => {
  it.each(["pagedResults control not allowed", "illegal pagedResults page size"])(
    "a paged retry refused with adminLimitExceeded (%s) is still size_limit_exceeded",
    async (text) => {
      const found = await searchAll(
        clientFailing(new AdminLimitExceededError(text)),
        "dc=kasm,dc=core",
        options,
        "groups",
        context,
      );
      expect(found.ok).toBe(false);
      if (found.ok) return;
      expect(found.error.code).toBe("size_limit_exceeded");
      expect(found.error.step).toBe("groups");
      expect(found.error.serverDiagnostic).toBe(text);
    },
  );

  it("a classified failure of the paged retry keeps its own code", async () => {
    const found = await searchAll(
      clientFailing(new InsufficientAccessError("")),
      "dc=kasm,dc=core",
      options,
      "groups",
      context,
    );
    expect(!found.ok && found.error.code).toBe("insufficient_access");
  });
});

describe("searchUpToLimit", () => {
  /** Refuses unpaged searches without a size limit in the request, and every paged one; with one, answers `partial`. */
  function limitedClient(partial: Error | { dn: string }[]): Client {
    return {
      search: (_base: string, request: { sizeLimit?: number }) =>
        request.sizeLimit
          ? Array.isArray(partial)
            ? Promise.resolve({ searchEntries: partial })
            : Promise.reject(partial)
          : Promise.reject(new SizeLimitExceededError("")),
      searchPaginated: async function* () {
        yield* [];
        throw new AdminLimitExceededError("pagedResults control not allowed");
      },
    } as unknown as Client;
  }

  it("returns what the server sent before its size limit, and how many", async () => {
    const entries = [{ dn: "cn=a" }, { dn: "cn=b" }];
    const found = await searchUpToLimit(limitedClient(entries), "dc=kasm,dc=core", options, "groups", context);
    expect(found).toEqual({ ok: true, value: { entries, limitedAfter: 2 } });
  });

  it("keeps the size limit error when the third exchange fails too", async () => {
    const found = await searchUpToLimit(
      limitedClient(new InsufficientAccessError("")),
      "dc=kasm,dc=core",
      options,
      "groups",
      context,
    );
    expect(!found.ok && found.error.code).toBe("size_limit_exceeded");
  });
});
