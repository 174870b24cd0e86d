import type { DenyReason } from "@pulse/core";

/** Thrown inside the analysis when a statement must be denied; caught by `analyze`. */
export class Refusal extends Error {
  constructor(
    readonly reason: DenyReason,
    readonly detail: string,
  ) {
    super(detail);
    this.name = "Refusal";
  }
}

/** Shorthand for an `unsupported-operation` refusal. */
export function unsupported(detail: string): Refusal {
  return new Refusal("unsupported-operation", detail);
}
