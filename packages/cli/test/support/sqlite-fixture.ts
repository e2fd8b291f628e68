// Generated SQLite files for the CLI tests: `articles` rows with unique, varied texts, plus a
// few rows with known texts that a search must find.
import { DatabaseSync } from 'node:sqlite';

const SUBJECTS = [
  'garden',
  'bicycle',
  'kitchen',
  'telescope',
  'violin',
  'sailboat',
  'greenhouse',
  'printer',
  'aquarium',
  'chess club',
];
const ACTIONS = [
  'repair',
  'clean',
  'insure',
  'paint',
  'move',
  'sell',
  'store',
  'inspect',
  'upgrade',
  'photograph',
];
const SEASONS = ['in spring', 'in summer', 'in autumn', 'in winter', 'on a budget', 'with friends'];

/** Rows whose text a search can find by its own words. */
export const KNOWN_ROWS = [
  { id: 101, title: 'Sourdough', body: 'How to bake sourdough bread at home with a wild yeast starter' },
  { id: 202, title: 'Tides', body: 'Reading tide tables before kayaking along a rocky coastline' },
  { id: 303, title: 'Beekeeping', body: 'Harvesting honey from backyard beehives without hurting the bees' },
] as const;

export interface FixtureOptions {
  rows: number;
  /** Table name (default articles). */
  table?: string;
}

/** Writes `path` with a table of `rows` rows: id INTEGER PRIMARY KEY, title, body, category. */
export function writeArticles(path: string, options: FixtureOptions): void {
  const table = options.table ?? 'articles';
  const database = new DatabaseSync(path);
  try {
    database.exec(
      `CREATE TABLE ${table} (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT, category TEXT)`,
    );
    const insert = database.prepare(`INSERT INTO ${table} (id, title, body, category) VALUES (?, ?, ?, ?)`);
    database.exec('BEGIN');
    const known = new Map<number, { title: string; body: string }>(KNOWN_ROWS.map((row) => [row.id, row]));
    for (let id = 1; id <= options.rows; id++) {
      const row = known.get(id);
      const subject = SUBJECTS[id % SUBJECTS.length] as string;
      const action = ACTIONS[Math.floor(id / SUBJECTS.length) % ACTIONS.length] as string;
      const season = SEASONS[id % SEASONS.length] as string;
      insert.run(
        id,
        row?.title ?? `Note ${id}`,
        row?.body ?? `Note ${id}: how to ${action} a ${subject} ${season}, entry number ${id}`,
        id % 2 === 0 ? 'even' : 'odd',
      );
    }
    database.exec('COMMIT');
  } finally {
    database.close();
  }
}

/** An empty table with the same columns. */
export function writeEmptyTable(path: string, table = 'articles'): void {
  const database = new DatabaseSync(path);
  database.exec(
    `CREATE TABLE ${table} (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT, category TEXT)`,
  );
  database.close();
}

/** `deja warm` arguments for the generated articles table. */
export function warmArticlesArgs(database: string, tenant: string, ...extra: string[]): string[] {
  const columns = ['--table', 'articles', '--id-column', 'id', '--text-column', 'body'];
  return ['warm', '--sqlite', database, ...columns, '--tenant', tenant, ...extra];
}
