import { describe, expect, it } from "vitest";
import { databaseUrlFrom } from "./env";

describe("DATABASE_URL", () => {
  it("defaults to the SQLite file in the data directory", () => {
    expect(databaseUrlFrom(undefined, "./data")).toBe("file:./data/portal.db");
    expect(databaseUrlFrom("", "/srv/portal")).toBe("file:/srv/portal/portal.db");
  });

  it("accepts SQLite and PostgreSQL URLs as given", () => {
    for (const url of [
      "file:./x.db",
      "postgresql://u:p@db:5432/portal?schema=portal&sslmode=require",
      "postgres://u@db/portal",
    ]) {
      expect(databaseUrlFrom(url, "./data")).toBe(url);
    }
  });

  it("refuses any other database, without printing its password", () => {
    expect(() => databaseUrlFrom("mysql://root:hunter2@db/portal", "./data")).toThrow(
      /^DATABASE_URL must be a SQLite file URL .* got "mysql:\/\/root:\*\*\*@db\/portal"$/,
    );
  });
});
