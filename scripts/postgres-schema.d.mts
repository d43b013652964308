export const SQLITE_SCHEMA: string;
export const POSTGRES_SCHEMA: string;
/** The PostgreSQL schema for the SQLite schema's text (provider and client output changed). */
export function postgresSchemaFrom(sqlite: string): string;
