// Named figures of one run: printed as a table, written flat to results/latest.json.

export type FigureValue = number | string | boolean;

export interface Figure {
  name: string;
  value: FigureValue;
  /** What the figure is, for the table and the markdown summary. */
  about: string;
  section: string;
  /** false: only in latest.json (a block table shows it instead). */
  listed: boolean;
}

/** A small table of its own (e.g. one row per threshold), printed after its section's figures. */
export interface Block {
  section: string;
  title: string;
  header: string[];
  rows: string[][];
}

export class Results {
  readonly figures: Figure[] = [];
  readonly notes: string[] = [];
  readonly blocks: Block[] = [];
  private section = '';

  startSection(title: string): void {
    this.section = title;
    console.log(`\n== ${title}`);
  }

  set(name: string, value: FigureValue, about: string, listed = true): void {
    const existing = this.figures.findIndex((figure) => figure.name === name);
    const figure = { name, value, about, section: this.section, listed };
    if (existing >= 0) this.figures[existing] = figure;
    else this.figures.push(figure);
  }

  block(title: string, header: string[], rows: string[][]): void {
    this.blocks.push({ section: this.section, title, header, rows });
  }

  note(text: string): void {
    this.notes.push(text);
    console.log(`   note: ${text}`);
  }

  get(name: string): FigureValue | undefined {
    return this.figures.find((figure) => figure.name === name)?.value;
  }

  flat(): Record<string, FigureValue> {
    return Object.fromEntries(this.figures.map((figure) => [figure.name, figure.value]));
  }
}
