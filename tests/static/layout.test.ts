/** @jest-environment node */
/**
 * The layout rules of CONTRIBUTING.md that a reviewer would otherwise count by hand: no non-test
 * source file in src/ over 400 lines, no import cycle among src/'s modules (type-only imports
 * included: they tie the files together for a reader as much as value imports do), and test
 * helpers only in each area's testing/ folder, never imported by the plugin.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.join(__dirname, '..', '..', 'src');
const MAX_LINES = 400;
const EXTENSIONS = ['.ts', '.tsx'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      return entry === 'node_modules' ? [] : sourceFiles(full);
    }
    return EXTENSIONS.includes(path.extname(entry)) && !entry.endsWith('.d.ts') ? [full] : [];
  });
}

const isTest = (file: string) => /\.test\.tsx?$/.test(file);
const relative = (file: string) => path.relative(path.join(SRC, '..'), file);

/** The relative module specifiers a file imports or re-exports, `import type` and `export type` included. */
export function importsOf(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const statement of source.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      statement.moduleSpecifier.text.startsWith('.')
    ) {
      out.push(statement.moduleSpecifier.text);
    }
  }
  return out;
}

function resolve(from: string, specifier: string, known: ReadonlySet<string>): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => path.join(base, 'index' + e))];
  return candidates.find((c) => known.has(c));
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) {
        found.push(component.sort());
      }
    }
  };
  for (const node of graph.keys()) {
    if (!index.has(node)) {
      visit(node);
    }
  }
  return found;
}

describe('the layout of src/', () => {
  const files = sourceFiles(SRC);

  it('finds the sources (the check looks where the code is)', () => {
    expect(files.map(relative)).toEqual(expect.arrayContaining(['src/flux/index.ts', 'src/datasource/datasource.ts']));
  });

  it(`has no non-test source file over ${MAX_LINES} lines`, () => {
    const long = files
      .filter((f) => !isTest(f))
      .map((f) => ({ file: relative(f), lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('has no import cycle among its non-test modules', () => {
    const known = new Set(files.filter((f) => !isTest(f)));
    const graph = new Map<string, string[]>();
    for (const file of known) {
      const targets = importsOf(file, readFileSync(file, 'utf8'))
        .map((s) => resolve(file, s, known))
        .filter((t): t is string => t !== undefined);
      graph.set(file, targets);
    }
    expect(cycles(graph).map((c) => c.map(relative))).toEqual([]);
  });

  it("keeps test helpers in each area's testing/ folder, out of the plugin's modules", () => {
    const inTesting = (file: string) => file.split(path.sep).includes('testing');
    const known = new Set(files);
    const leaks = files
      .filter((f) => !isTest(f) && !inTesting(f))
      .flatMap((f) =>
        importsOf(f, readFileSync(f, 'utf8'))
          .map((s) => resolve(f, s, known))
          .filter((t): t is string => t !== undefined && inTesting(t))
          .map((t) => `${relative(f)} imports ${relative(t)}`)
      );
    expect(leaks).toEqual([]);
    // One convention: helper modules sit in testing/ folders, not beside the code as fixtures files.
    const strays = files.filter((f) => !isTest(f) && !inTesting(f) && /fixtures?\.tsx?$/.test(f)).map(relative);
    expect(strays).toEqual([]);
  });
});

describe('the cycle check itself', () => {
  it('reads value, type-only and re-export imports, not packages', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from '../b';",
      "export { c } from './c';",
      "export type { D } from './d';",
      "import React from 'react';",
    ].join('\n');
    expect(importsOf('x.ts', text)).toEqual(['./a', '../b', './c', './d']);
  });

  it('finds a cycle through three files and a self-import, and none in a chain', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['d']],
      ['e', ['a']],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c'], ['d']]);
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ])
      )
    ).toEqual([]);
  });
});
