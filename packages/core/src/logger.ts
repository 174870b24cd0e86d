/**
 * Where PULSE libraries report what is not a decision: a sink that failed, a key set that could
 * not be fetched. Every method is optional; the default logger does nothing.
 */
export interface Logger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that does nothing. */
export const silentLogger: Logger = Object.freeze({});
