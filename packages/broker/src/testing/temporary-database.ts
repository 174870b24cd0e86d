// A database of its own for a test that changes tables (triggers) or needs them empty, created
// on the server of PULSE_PG_URL and dropped afterwards.
import { randomUUID } from "node:crypto";
import pg from "pg";

export interface TemporaryDatabase {
  readonly url: string;
  /** Runs one statement in the temporary database. */
  query(text: string, params?: unknown[]): Promise<pg.QueryResult>;
  drop(): Promise<void>;
}

export async function temporaryDatabase(serverUrl: string): Promise<TemporaryDatabase> {
  const name = `pulse_tmp_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.href });
  await client.connect();
  return {
    url: url.href,
    query: (text, params) => client.query(text, params),
    drop: async () => {
      await client.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
