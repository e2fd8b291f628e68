// Finds the TypeScript code blocks of the project's Markdown, so the docs can be type-checked and
// run by readme-snippets.test.ts. A block is ```ts or ```typescript (indented blocks inside list
// items count too); `no-run` in its info string (```ts no-run) means "type-check only", for the
// rare sample that cannot run here (it needs a file of the reader's own, or a live service).
import { existsSync as exists, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Snippet {
  /** The Markdown file, relative to the repository root. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The block's text, its fence indentation removed. */
  code: string;
  /** False when the info string says `no-run`. */
  run: boolean;
}

const TYPESCRIPT = new Set(['ts', 'typescript', 'mts']);
const OPENING = /^(?<indent>[ \t]*)(?<fence>`{3,}|~{3,})[ \t]*(?<info>.*)$/;

/** The TypeScript blocks of one Markdown text, in order. An unclosed block runs to the end (as in CommonMark). */
export function extractSnippets(file: string, markdown: string): Snippet[] {
  const lines = markdown.split(/\r?\n/);
  const snippets: Snippet[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = OPENING.exec(lines[index] as string)?.groups;
    if (!open) continue;
    const { indent = '', fence = '', info = '' } = open;
    const [language = '', ...flags] = info.trim().split(/\s+/);
    const body: string[] = [];
    let end = index + 1;
    for (; end < lines.length; end++) {
      const text = lines[end] as string;
      const trimmed = text.trimStart();
      if (trimmed.startsWith(fence) && trimmed.slice(fence.length).trim() === '' && trimmed[0] === fence[0])
        break;
      body.push(text.startsWith(indent) ? text.slice(indent.length) : text.trimStart());
    }
    if (TYPESCRIPT.has(language.toLowerCase())) {
      snippets.push({ file, line: index + 1, code: `${body.join('\n')}\n`, run: !flags.includes('no-run') });
    }
    index = end;
  }
  return snippets;
}

/**
 * Every Markdown file whose samples are checked: the root README.md and ARCHITECTURE.md, each
 * package's and example's README.md, and everything under docs/.
 */
export function documentationFiles(root: string): string[] {
  const files = ['README.md', 'ARCHITECTURE.md'].filter((name) => exists(join(root, name)));
  for (const folder of ['packages', 'examples']) {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      if (entry.isDirectory() && exists(join(root, folder, entry.name, 'README.md')))
        files.push(`${folder}/${entry.name}/README.md`);
    }
  }
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(relative(root, path));
    }
  };
  walk(join(root, 'docs'));
  return files.sort();
}

/** All snippets of the project's documentation. */
export function projectSnippets(root: string): Snippet[] {
  return documentationFiles(root).flatMap((file) =>
    extractSnippets(file, readFileSync(join(root, file), 'utf8')),
  );
}

/** A file name that says where the block comes from: `packages-core-README.md-L6.ts`. */
export function snippetFileName(snippet: Snippet): string {
  return `${snippet.file.replaceAll('/', '-')}-L${snippet.line}.ts`;
}
