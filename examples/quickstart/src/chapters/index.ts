import type { Chapter } from "../story.js";

/** The chapters of the demo, in the order they run. */
export const chapters: readonly Chapter[] = [];
