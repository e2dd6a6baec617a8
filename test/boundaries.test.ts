import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The shape DESIGN §3 asks for, checked on every import of the server's code:
 * - a module reaches another module only through its index.ts, and never imports a flow;
 * - the flows, the app, jobs, the demo and the test support reach modules only through index.ts;
 * - platform/ and db/ import no module, no flow and nothing else of the app;
 * - the graph of modules has no cycle.
 * Test files may reach into any module's files to set up data, and drive the flows they test.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = path.join(root, 'src');

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });

/** The part of the app a file belongs to: `modules/<name>`, `flows`, `platform`, `db`, or its top-level folder or file. */
const unitOf = (file: string): string => {
  const parts = path.relative(srcDir, file).split(path.sep);
  return parts[0] === 'modules' ? `modules/${parts[1]}` : (parts[0] ?? '');
};

type Import = { from: string; to: string; specifier: string };

const importsOf = (file: string): Import[] => {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .filter((imported) => imported.fileName.startsWith('.'))
    .map((imported) => ({
      from: file,
      to: path.resolve(path.dirname(file), imported.fileName).replace(/\.js$/, '.ts'),
      specifier: imported.fileName,
    }));
};

const isTest = (file: string) => /\.test\.tsx?$/.test(file);
const isIndex = (file: string) => path.basename(file) === 'index.ts';
const rel = (file: string) => path.relative(root, file);

/** The rule an import breaks, if any. */
const violationOf = ({ from, to }: Import): string | undefined => {
  const fromUnit = unitOf(from);
  const toUnit = unitOf(to);
  if (fromUnit === toUnit) return undefined;
  if ((fromUnit === 'platform' || fromUnit === 'db') && !isTest(from)) {
    return toUnit === 'platform' || toUnit === 'db' ? undefined : `${fromUnit}/ imports ${toUnit}: platform and db know no module`;
  }
  if (fromUnit.startsWith('modules/') && toUnit === 'flows' && !isTest(from)) return `${fromUnit} imports a flow: modules return decisions, flows act on them`;
  if (toUnit.startsWith('modules/') && !isIndex(to)) {
    // The Drizzle schema aggregate (drizzle-kit only) lists every module's tables; tests may set up data directly.
    if (rel(from) === 'src/schema.ts') return undefined;
    if (isTest(from)) return undefined;
    return `${fromUnit} reaches into ${toUnit}'s ${path.basename(to)}: import ${toUnit}/index.ts`;
  }
  return undefined;
};

/** Strongly connected components of more than one module (Tarjan), each sorted: the cycles. */
const cyclesOf = (edges: Map<string, Set<string>>): string[][] => {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || edges.get(node)?.has(node)) cycles.push(component.sort());
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return cycles;
};

const allImports = sourceFiles(srcDir).flatMap(importsOf);

describe('module boundaries', () => {
  it('every import respects the boundaries', () => {
    const violations = allImports.flatMap((edge) => {
      const problem = violationOf(edge);
      return problem ? [`${rel(edge.from)} → ${edge.specifier}: ${problem}`] : [];
    });
    expect(violations).toEqual([]);
  });

  it('the modules form no cycle', () => {
    const edges = new Map<string, Set<string>>();
    for (const { from, to } of allImports) {
      if (isTest(from)) continue;
      const fromUnit = unitOf(from);
      const toUnit = unitOf(to);
      if (!fromUnit.startsWith('modules/') || !toUnit.startsWith('modules/') || fromUnit === toUnit) continue;
      edges.set(fromUnit, (edges.get(fromUnit) ?? new Set()).add(toUnit));
    }
    expect(cyclesOf(edges)).toEqual([]);
  });

  it('the checks themselves catch what they are for', () => {
    const file = (p: string) => path.join(srcDir, p);
    expect(violationOf({ from: file('modules/points/ledger.ts'), to: file('modules/customers/service.ts'), specifier: '' })).toMatch(/reaches into/);
    expect(violationOf({ from: file('modules/points/ledger.ts'), to: file('modules/customers/index.ts'), specifier: '' })).toBeUndefined();
    expect(violationOf({ from: file('modules/points/ledger.ts'), to: file('flows/checkout.ts'), specifier: '' })).toMatch(/imports a flow/);
    expect(violationOf({ from: file('platform/outbox.ts'), to: file('modules/tenants/index.ts'), specifier: '' })).toMatch(/know no module/);
    expect(violationOf({ from: file('db/client.ts'), to: file('schema.ts'), specifier: '' })).toMatch(/know no module/);
    expect(violationOf({ from: file('flows/arrive.ts'), to: file('modules/visits/service.ts'), specifier: '' })).toMatch(/reaches into/);
    const ring = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cyclesOf(ring)).toEqual([['a', 'b', 'c']]);
    expect(cyclesOf(new Map([['a', new Set(['b'])]]))).toEqual([]);
  });
});
