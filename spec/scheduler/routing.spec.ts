import * as fs from 'fs';
import * as path from 'path';
import { coreGraphOf, shortestPath, shortestSimplePaths, transferPlan } from '../../lib/scheduler/routing';
import { exampleAccelerator, sketchAccelerator } from '../fixtures/scheduler/accelerators';
import { linkLabel } from '../../lib/scheduler/problem';
import { goldenCases } from '../fixtures/scheduler/golden';

interface NetworkxPaths {
  readonly graphs: Record<string, { source: number; target: number; shortest: number[]; simple: number[][] }[]>;
}

const networkx = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../fixtures/scheduler/networkx-paths.json'), 'utf8'),
) as NetworkxPaths;

describe('path enumeration matches networkx 3.6.1', () => {
  for (const [hardware, pairs] of Object.entries(networkx.graphs)) {
    it(`${hardware}: shortest_path and the first five shortest_simple_paths of every core pair`, () => {
      const graph = coreGraphOf(exampleAccelerator(hardware));
      for (const { source, target, shortest, simple } of pairs) {
        expect({ source, target, path: shortestPath(graph, source, target) }).toEqual({ source, target, path: shortest });
        const ours: number[][] = [];
        for (const p of shortestSimplePaths(graph, source, target)) {
          ours.push([...p]);
          if (ours.length === simple.length) break;
        }
        expect({ source, target, paths: ours }).toEqual({ source, target, paths: simple });
      }
    });
  }
});

describe('transferPlan', () => {
  const ring = sketchAccelerator(
    'ring',
    { 0: { kind: 'compute' }, 1: { kind: 'compute' }, 2: { kind: 'compute' }, 3: { kind: 'offchip' } },
    3,
    [
      { type: 'link', cores: [0, 1], bandwidth: 32 },
      { type: 'link', cores: [1, 2], bandwidth: 32 },
      { type: 'link', cores: [2, 0], bandwidth: 32 },
      { type: 'link', cores: [3, 0], bandwidth: 64 },
    ],
  );

  it('gives the empty route when every source is its own target', () => {
    const plan = transferPlan(coreGraphOf(ring), [1], [1]);
    expect(plan).toMatchObject({ score: 0, linksUsed: [], paths: [[1]] });
  });

  it('reuses edges already on the route rather than taking a fresh shortest path', () => {
    // 3 -> 0 -> 1 is on the route for target 1; target 2 is then reached via 0 -> 2 (one new edge).
    const graph = coreGraphOf(ring);
    const plan = transferPlan(graph, [3], [1, 2]);
    expect(plan?.paths).toEqual([
      [3, 0, 1],
      [3, 0, 2],
    ]);
    expect(plan?.score).toBe(3);
    expect(plan?.linksUsed.map((l) => ring.links[l].cores)).toEqual([
      [3, 0],
      [0, 1],
      [0, 2],
    ]);
  });

  it('returns undefined when a target is unreachable', () => {
    const split = sketchAccelerator('split', { 0: { kind: 'compute' }, 1: { kind: 'compute' }, 2: { kind: 'offchip' } }, 2, [
      { type: 'link', cores: [0, 2], bandwidth: 8 },
      { type: 'link', cores: [1, 1], bandwidth: 8 },
    ]);
    expect(transferPlan(coreGraphOf(split), [0], [1])).toBeUndefined();
  });
});

describe('golden routes (final_allocations) of every reference case', () => {
  for (const c of goldenCases()) {
    const transfers = c.group.final_allocations.filter((a) => a.kind === 'transfer');
    it(`${c.id}: ${transfers.length} transfers`, () => {
      const accelerator = exampleAccelerator(c.hardware);
      const graph = coreGraphOf(accelerator);
      for (const t of transfers) {
        for (const route of t.route ?? []) {
          const plan = transferPlan(graph, route.sources, route.targets);
          expect({
            transfer: t.name,
            score: plan?.score,
            links: plan?.linksUsed.map((l) => linkLabel(accelerator, l)),
          }).toEqual({ transfer: t.name, score: route.score, links: route.links_used.map((l) => l.link) });
        }
      }
    });
  }
});
