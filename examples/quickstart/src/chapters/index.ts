import type { Chapter } from "../story.js";
import { brokerChapter } from "./broker.js";
import { postgresChapter } from "./postgres.js";
import { s3Chapter } from "./s3.js";
import { secretsChapter } from "./secrets.js";

/** The chapters of the demo, in the order they run. */
export const chapters: readonly Chapter[] = [
  s3Chapter,
  brokerChapter,
  postgresChapter,
  secretsChapter,
];
