/** Types for logger.mjs (plain JavaScript so that the custom server runs it without a build). */
import type { DestinationStream, Logger } from "pino";

export const LOG_LEVELS: readonly string[];
export const LOG_FORMATS: readonly ["json", "pretty"];
export const REDACTED_PATHS: readonly string[];

export function logSettings(
  environment?: Record<string, string | undefined>,
): { ok: true; level: string; format: "json" | "pretty" } | { ok: false; message: string };

export function createLogger(options?: {
  level?: string;
  format?: "json" | "pretty";
  destination?: DestinationStream | number;
}): Logger;

export function logger(): Logger;
export function setLogger(next: Logger | undefined): Logger | undefined;

export interface ComponentLogger {
  error(message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
  warn(message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  info(message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  debug(message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
}
export function componentLogger(component: string): ComponentLogger;

export function errorFields(error: unknown): { error: string; errorCode?: string };
