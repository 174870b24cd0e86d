import type { Chapter } from "../story.js";
import { s3Chapter } from "./s3.js";

/** The chapters of the demo, in the order they run. */
export const chapters: readonly Chapter[] = [s3Chapter];
