/**
 * A private copy of a command's input, taken once, before the check.
 *
 * The caller owns the input object and may change it (or a getter on it may answer differently)
 * while the verifier is awaited; the SDK serialises whatever it finds afterwards. Checking one
 * object and sending another would let an unchecked key through, so the middleware checks this
 * copy and hands the same copy down the stack. Spreading evaluates getters exactly once; the
 * nested lists that name keys (`Delete.Objects`) are copied too. Bodies and other values are
 * passed by reference: they never name a resource.
 */
export function snapshotInput(input: unknown): unknown {
  if (typeof input !== "object" || input === null) return input;

  const copy: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  const del = copy["Delete"];
  if (typeof del === "object" && del !== null) {
    const deleteCopy: Record<string, unknown> = { ...(del as Record<string, unknown>) };
    const objects = deleteCopy["Objects"];
    if (Array.isArray(objects)) {
      deleteCopy["Objects"] = objects.map((o) =>
        typeof o === "object" && o !== null ? { ...(o as Record<string, unknown>) } : o,
      );
    }
    copy["Delete"] = deleteCopy;
  }
  return copy;
}
