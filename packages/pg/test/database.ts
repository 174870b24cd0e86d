// A Postgres server for a test file: real PostgreSQL when PULSE_PG_URL is set, otherwise PGlite
// served over the wire protocol on a free port (stopped by `stop`).
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface TestDatabase {
  readonly url: string;
  readonly kind: "postgres" | "pglite";
  stop(): Promise<void>;
}

export async function startDatabase(): Promise<TestDatabase> {
  const external = process.env["PULSE_PG_URL"];
  if (external) return { url: external, kind: "postgres", stop: async () => {} };

  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 32 });
  await server.start();
  const port = server.getServerConn().split(":").at(-1);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    kind: "pglite",
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}

/** A schema name no other test run uses. */
export function uniqueSchema(label: string): string {
  return `pulse_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}
