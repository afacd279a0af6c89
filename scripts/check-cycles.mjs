#!/usr/bin/env node
// No import cycle in our code: a cycle makes module initialisation order matter (a value read
// before its module has run is undefined) and ties two files that a reader should meet one at a
// time. Follows every static import and re-export between our files in main/, common/, renderer/
// and preload/ that exists at run time. Left out: type-only imports (`import type`, or every name
// marked `type`), which the compiler erases, so a handler may name the type of what it is handed;
// and dynamic import(), which loads after both modules have run. Usage: node scripts/check-cycles.mjs [ROOT]   (exit 1 and one line per cycle)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { sourceFiles } from './lib/sourceFiles.mjs';

const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const LAYERS = ['main', 'common', 'renderer', 'preload'];
const SOURCE = /\.(ts|tsx|mts|cts)$/;
const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.cts', '/index.ts', '/index.tsx'];

const walk = (dir) => sourceFiles(dir, (name) => SOURCE.test(name) && !name.endsWith('.d.ts'));

/** The file a relative specifier names (bundler resolution: extension optional, `.js` may stand for `.ts`). */
function resolve(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [...EXTENSIONS.map((e) => base + e), base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx')]) {
    if (SOURCE.test(candidate) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** True when the statement is erased at compile time: `import type`, `export type`, or only `type` names. */
function typeOnly(statement) {
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (!clause) return false; // `import './x'`: run for its effects
    if (clause.isTypeOnly) return true;
    if (clause.name) return false;
    const bindings = clause.namedBindings;
    return !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
  }
  if (statement.isTypeOnly) return true;
  const clause = statement.exportClause;
  return !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

/** Run-time imports and re-exports of one file (not dynamic import(), not type-only ones). */
function importsOf(file) {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out = [];
  for (const statement of source.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      const spec = statement.moduleSpecifier.text;
      if (!spec.startsWith('.') || typeOnly(statement)) continue;
      const target = resolve(file, spec);
      if (target) out.push(target);
    }
  }
  return out;
}

const files = LAYERS.flatMap((layer) => walk(path.join(root, layer)));
const graph = new Map(files.map((f) => [f, importsOf(f)]));

// Tarjan's strongly connected components, iterative (a deep import chain must not blow the stack).
let index = 0;
const indices = new Map();
const low = new Map();
const onStack = new Set();
const stack = [];
const components = [];
for (const start of graph.keys()) {
  if (indices.has(start)) continue;
  const work = [[start, 0]];
  indices.set(start, index);
  low.set(start, index++);
  stack.push(start);
  onStack.add(start);
  while (work.length) {
    const frame = work[work.length - 1];
    const [node, i] = frame;
    const edges = graph.get(node) ?? [];
    if (i < edges.length) {
      frame[1]++;
      const next = edges[i];
      if (!graph.has(next)) continue;
      if (!indices.has(next)) {
        indices.set(next, index);
        low.set(next, index++);
        stack.push(next);
        onStack.add(next);
        work.push([next, 0]);
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), indices.get(next)));
      }
      continue;
    }
    work.pop();
    if (work.length) {
      const parent = work[work.length - 1][0];
      low.set(parent, Math.min(low.get(parent), low.get(node)));
    }
    if (low.get(node) === indices.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = (graph.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) components.push(component);
    }
  }
}

/** One concrete loop through a component, for the message: a path back to its first file. */
function loopThrough(component) {
  const members = new Set(component);
  const first = component.slice().sort()[0];
  const previous = new Map([[first, null]]);
  const queue = [first];
  while (queue.length) {
    const node = queue.shift();
    for (const next of graph.get(node) ?? []) {
      if (next === first) {
        const loop = [];
        for (let n = node; n !== null; n = previous.get(n)) loop.unshift(n);
        return [...loop, first];
      }
      if (members.has(next) && !previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [first, first];
}

const rel = (f) => path.relative(root, f).split(path.sep).join('/');
if (components.length > 0) {
  console.error(`Import cycles (${components.length}); break each by moving what both files need into a third, or by passing it in:`);
  for (const component of components) console.error(`  ${loopThrough(component).map(rel).join(' → ')}${component.length > 2 ? `  (${component.length} files in this knot)` : ''}`);
  process.exit(1);
}
console.log(`No import cycles among ${files.length} files of ${LAYERS.join('/, ')}/.`);
