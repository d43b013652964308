import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pemProblem } from "./tls";

describe("pemProblem", () => {
  it("accepts a real certificate and refuses text or a broken block", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pem-"));
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=Test CA",
        "-keyout",
        path.join(dir, "k.pem"),
        "-out",
        path.join(dir, "c.pem"),
      ],
      { stdio: "ignore" },
    );
    const pem = fs.readFileSync(path.join(dir, "c.pem"), "utf8");
    fs.rmSync(dir, { recursive: true });
    expect(pemProblem(pem)).toBeUndefined();
    expect(pemProblem("not a certificate")).toMatch(/PEM form/);
    expect(pemProblem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")).toMatch(/cannot be read/);
  });
});
