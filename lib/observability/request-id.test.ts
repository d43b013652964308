import { describe, expect, it } from "vitest";
import { assignRequestId, REQUEST_ID_HEADER, requestIdOf } from "./request-id.mjs";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("the request id", () => {
  it("is made by the server, replacing whatever a client sent", () => {
    const headers: Record<string, string> = { [REQUEST_ID_HEADER]: "chosen-by-the-client" };
    const id = assignRequestId(headers, false);
    expect(id).toMatch(UUID);
    expect(headers[REQUEST_ID_HEADER]).toBe(id);
    expect(assignRequestId({}, false)).not.toBe(id);
  });

  it("is kept from a trusted proxy when it looks like an id", () => {
    const headers: Record<string, string> = { [REQUEST_ID_HEADER]: "7f3a9c0d2b1e4f5a6b7c8d9e0f1a2b3c" };
    expect(assignRequestId(headers, true)).toBe("7f3a9c0d2b1e4f5a6b7c8d9e0f1a2b3c");
    const forged: Record<string, string> = { [REQUEST_ID_HEADER]: 'x" injected="1\nnext line' };
    expect(assignRequestId(forged, true)).toMatch(UUID);
  });

  it("is read from Node headers or Fetch headers", () => {
    expect(requestIdOf({ [REQUEST_ID_HEADER]: "abc-123" })).toBe("abc-123");
    expect(requestIdOf(new Headers({ [REQUEST_ID_HEADER]: "abc-123" }))).toBe("abc-123");
    expect(requestIdOf({ [REQUEST_ID_HEADER]: "a b" })).toBeUndefined();
    expect(requestIdOf(undefined)).toBeUndefined();
  });
});
