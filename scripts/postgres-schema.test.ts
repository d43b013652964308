import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { POSTGRES_SCHEMA, SQLITE_SCHEMA, postgresSchemaFrom } from "./postgres-schema.mjs";

// One model, two providers: the PostgreSQL schema is generated from the SQLite one, so both
// clients expose the same models and lib/db can use either through one type.
describe("prisma/postgresql/schema.prisma", () => {
  it("is exactly what npm run db:schema:postgres generates from prisma/schema.prisma", () => {
    const expected = postgresSchemaFrom(fs.readFileSync(SQLITE_SCHEMA, "utf8"));
    const committed = fs.readFileSync(POSTGRES_SCHEMA, "utf8");
    // On failure: run `npm run db:schema:postgres`, then add a PostgreSQL migration.
    expect(committed).toBe(expected);
  });

  it("differs from the SQLite schema only in provider, client output and leading comment", () => {
    const strip = (text: string) =>
      text
        .split("\n")
        .filter((line) => !line.startsWith("//"))
        .join("\n")
        .trim();
    const sqlite = strip(fs.readFileSync(SQLITE_SCHEMA, "utf8"));
    const postgres = strip(fs.readFileSync(POSTGRES_SCHEMA, "utf8"));
    expect(
      postgres
        .replace('provider = "postgresql"', 'provider = "sqlite"')
        .replace('"../../lib/db/generated-postgresql"', '"../lib/db/generated"'),
    ).toBe(sqlite);
  });

  it("refuses a SQLite schema whose generator or provider it cannot find", () => {
    expect(() => postgresSchemaFrom('datasource db {\n  provider = "sqlite"\n}\n')).toThrow(/generator output/);
  });

  it("has a migrations folder for PostgreSQL", () => {
    expect(fs.readFileSync("prisma/postgresql/migrations/migration_lock.toml", "utf8")).toMatch(
      /^provider = "postgresql"$/m,
    );
    const migrations = fs
      .readdirSync("prisma/postgresql/migrations")
      .filter((name) => fs.statSync(`prisma/postgresql/migrations/${name}`).isDirectory());
    expect(migrations.length).toBeGreaterThan(0);
  });
});
