import http from "node:http";
import { expect, test } from "./fixtures";

/** Sign-in bodies over 64 KB are refused with 413 before anything parses them. */

const LIMIT = 64 * 1024;

interface Reply {
  status: number;
  body: string;
}

/**
 * POSTs `size` bytes of form data in 8 KB pieces: with a Content-Length, or chunked (no length
 * announced, as a streaming client sends it).
 */
function post(baseURL: string, path: string, size: number, mode: "length" | "chunked"): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${baseURL}${path}`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        ...(mode === "length" ? { "Content-Length": String(size) } : { "Transfer-Encoding": "chunked" }),
      },
    });
    request.on("response", (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
    const piece = Buffer.alloc(8192, "a");
    let sent = 0;
    const write = () => {
      while (sent < size) {
        const part = piece.subarray(0, Math.min(piece.length, size - sent));
        sent += part.length;
        if (!request.write(part)) return void request.once("drain", write);
      }
      request.end();
    };
    write();
  });
}

for (const mode of ["length", "chunked"] as const) {
  test(`a sign-in body over 64 KB (${mode}) is refused with 413`, async ({ baseURL }) => {
    // Dot segments reach the same route (the router resolves them), so they meet the same limit.
    for (const path of [
      "/api/auth/callback/credentials",
      "/api/auth/signout",
      "/api/auth/_log",
      "/x/../api/auth/callback/credentials",
      "/x/%2e%2e/api/auth/callback/credentials",
    ]) {
      const reply = await post(baseURL!, path, LIMIT + 1, mode);
      expect([path, reply.status]).toEqual([path, 413]);
      expect(reply.body).toMatch(/too large.*64 KB/i);
    }
  });

  test(`a large sign-in body (${mode}, 2 MB) is refused without reading it all`, async ({ baseURL }) => {
    const reply = await post(baseURL!, "/api/auth/callback/credentials", 2 * 1024 * 1024, mode);
    expect(reply.status).toBe(413);
  });

  test(`a sign-in body of exactly 64 KB (${mode}) reaches NextAuth`, async ({ baseURL }) => {
    const reply = await post(baseURL!, "/api/auth/callback/credentials", LIMIT, mode);
    // NextAuth answers (no CSRF token: a redirect to the sign-in page), not the size limit.
    expect(reply.status).not.toBe(413);
    expect(reply.status).toBeLessThan(500);
  });
}

test("the portal still signs people in after refusing large bodies", async ({ request }) => {
  const health = await request.get("/api/health");
  expect(health.ok()).toBe(true);
  const csrf = await request.get("/api/auth/csrf");
  expect(csrf.ok()).toBe(true);
});
