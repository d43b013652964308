import { describe, expect, it } from "vitest";
import { databaseProviderOf, maskDatabaseUrl, postgresSettings } from "./database-url.mjs";

describe("DATABASE_URL", () => {
  it("names the provider", () => {
    expect(databaseProviderOf("file:./data/portal.db")).toBe("sqlite");
    expect(databaseProviderOf("postgresql://u:p@db/portal")).toBe("postgresql");
    expect(databaseProviderOf("postgres://u:p@db/portal")).toBe("postgresql");
    expect(databaseProviderOf("mysql://u:p@db/portal")).toBeUndefined();
    expect(databaseProviderOf("prisma+postgres://accelerate.prisma-data.net/?api_key=x")).toBeUndefined();
  });

  it("masks the password, in the user part or as a parameter", () => {
    expect(maskDatabaseUrl("postgresql://portal:s3cr:et@127.0.0.1:5999/portal?schema=x")).toBe(
      "postgresql://portal:***@127.0.0.1:5999/portal?schema=x",
    );
    expect(maskDatabaseUrl("postgres://portal@db/portal?password=s3cret&sslmode=require")).toBe(
      "postgres://portal@db/portal?password=***&sslmode=require",
    );
    expect(maskDatabaseUrl("file:./data/portal.db")).toBe("file:./data/portal.db");
  });

  it("turns ?schema= into the search_path and Prisma's pool settings into pg's", () => {
    const { config, schema } = postgresSettings(
      "postgresql://portal:pw@db.example.com:6432/portal?schema=Portal%20App&connection_limit=3&connect_timeout=7",
    );
    expect(schema).toBe("Portal App");
    expect(config).toMatchObject({
      user: "portal",
      password: "pw",
      host: "db.example.com",
      port: 6432,
      database: "portal",
      max: 3,
      connectionTimeoutMillis: 7000,
    });
    expect(config.options).toBe('-c search_path="Portal\\ App"');
    expect(config).not.toHaveProperty("schema");
    expect(config).not.toHaveProperty("connection_limit");
  });

  it("defaults to the public schema, 10 connections and the caller's connect timeout", () => {
    const { config, schema } = postgresSettings("postgres://portal@db/portal", { connectTimeoutMs: 2500 });
    expect(schema).toBe("public");
    expect(config).toMatchObject({ max: 10, connectionTimeoutMillis: 2500, options: '-c search_path="public"' });
    expect(config.port).toBeUndefined();
  });

  it("reads sslmode as libpq does", () => {
    expect(postgresSettings("postgresql://u@db/p?sslmode=disable").config.ssl).toBe(false);
    expect(postgresSettings("postgresql://u@db/p?sslmode=require").config.ssl).toEqual({ rejectUnauthorized: false });
    expect(postgresSettings("postgresql://u@db/p?sslmode=verify-full").config.ssl).toEqual({});
    expect(postgresSettings("postgresql://u@db/p").config.ssl).toBeUndefined();
  });

  it("refuses a malformed pool setting", () => {
    expect(() => postgresSettings("postgresql://u@db/p?connection_limit=0")).toThrow(
      /connection_limit must be a positive whole number/,
    );
  });
});
