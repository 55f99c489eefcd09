/**
 * The workload graph with its fusion groups and the cores every node is mapped to, drawn top-down with
 * vega marks on a layered layout computed here (Sugiyama style, kept simple): longest-path layering,
 * dummy nodes on edges that span several layers, a few barycentre sweeps to reduce crossings, then
 * each layer centred. Weights (ONNX initialisers) are left out; graph inputs and outputs and layout-only
 * operators are grey.
 */
import type { TopLevelSpec } from 'vega-lite/build/index';
import { Workload, WorkloadNode } from '../../workload/model';
import { compactIds } from '../timeline';
import { textWidthPx } from './glyph-widths';
import { TemplateChart, signalPlaceholder } from './template';
import { CHART_CONFIG } from './theme';

/** What the graph shows of a mapped node (a `TiledNode` is one). */
export interface MappedNode {
  readonly name: string;
  readonly type: string;
  readonly coreIds: readonly number[];
}

export interface GraphInput {
  readonly workload: Pick<Workload, 'name' | 'nodes' | 'edges'>;
  readonly groups: readonly { readonly index: number; readonly group: { readonly nodes: readonly MappedNode[] } }[];
}

interface LayoutNode {
  readonly id: string;
  readonly dummy: boolean;
  readonly width: number;
  readonly height: number;
  layer: number;
  order: number;
  x: number;
  y: number;
}

export interface GraphLayout {
  readonly nodes: ReadonlyMap<string, { readonly x: number; readonly y: number; readonly width: number; readonly height: number; readonly layer: number }>;
  /** Polylines from the bottom of the source to the top of the target, through the dummy nodes. */
  readonly edges: readonly { readonly from: string; readonly to: string; readonly points: readonly (readonly [number, number])[] }[];
  readonly width: number;
  readonly height: number;
}

const LAYER_GAP = 46;
const NODE_GAP = 26;
const DUMMY_WIDTH = 8;
const SWEEPS = 6;

/** Longest-path layering: a node sits one layer below its deepest predecessor. */
function longestPathLayers(ids: readonly string[], edges: readonly { from: string; to: string }[]): Map<string, number> {
  const preds = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) preds.get(e.to)?.push(e.from);
  const layer = new Map<string, number>();
  const visit = (id: string, stack: Set<string>): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    if (stack.has(id)) return 0; // a cycle cannot occur in a dataflow graph; stay finite if it does
    stack.add(id);
    const l = Math.max(-1, ...(preds.get(id) ?? []).map((p) => visit(p, stack))) + 1;
    stack.delete(id);
    layer.set(id, l);
    return l;
  };
  for (const id of ids) visit(id, new Set());
  return layer;
}

/** Layered layout of a DAG; `size` gives each real node's box. */
export function layoutDag(
  ids: readonly string[],
  edges: readonly { readonly from: string; readonly to: string }[],
  size: (id: string) => { width: number; height: number },
): GraphLayout {
  const layerOf = longestPathLayers(ids, edges);
  const nodes = new Map<string, LayoutNode>();
  for (const id of ids) nodes.set(id, { id, dummy: false, ...size(id), layer: layerOf.get(id) ?? 0, order: 0, x: 0, y: 0 });

  // Split long edges into unit edges through dummy nodes.
  const chains: { from: string; to: string; path: string[] }[] = [];
  const unitEdges: { from: string; to: string }[] = [];
  edges.forEach((e, i) => {
    const [a, b] = [nodes.get(e.from), nodes.get(e.to)];
    if (!a || !b) return;
    const path = [a.id];
    for (let l = a.layer + 1; l < b.layer; l++) {
      const id = `\u0000dummy${i}:${l}`;
      nodes.set(id, { id, dummy: true, width: DUMMY_WIDTH, height: 0, layer: l, order: 0, x: 0, y: 0 });
      path.push(id);
    }
    path.push(b.id);
    for (let k = 0; k + 1 < path.length; k++) unitEdges.push({ from: path[k], to: path[k + 1] });
    chains.push({ from: e.from, to: e.to, path });
  });

  const layerCount = Math.max(0, ...[...nodes.values()].map((n) => n.layer)) + 1;
  const layers: LayoutNode[][] = Array.from({ length: layerCount }, () => []);
  for (const n of nodes.values()) layers[n.layer].push(n);
  layers.forEach((layer) => layer.forEach((n, i) => (n.order = i)));

  const up = new Map<string, string[]>();
  const down = new Map<string, string[]>();
  for (const e of unitEdges) {
    up.set(e.to, [...(up.get(e.to) ?? []), e.from]);
    down.set(e.from, [...(down.get(e.from) ?? []), e.to]);
  }
  const reorder = (layer: LayoutNode[], neighbours: Map<string, string[]>) => {
    const key = new Map(
      layer.map((n) => {
        const adjacent = (neighbours.get(n.id) ?? []).map((id) => nodes.get(id)?.order ?? 0);
        return [n.id, adjacent.length ? adjacent.reduce((s, o) => s + o, 0) / adjacent.length : n.order] as const;
      }),
    );
    layer.sort((a, b) => (key.get(a.id) ?? 0) - (key.get(b.id) ?? 0) || a.order - b.order);
    layer.forEach((n, i) => (n.order = i));
  };
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    if (sweep % 2 === 0) for (let l = 1; l < layerCount; l++) reorder(layers[l], up);
    else for (let l = layerCount - 2; l >= 0; l--) reorder(layers[l], down);
  }

  const layerWidth = (layer: LayoutNode[]) => layer.reduce((s, n) => s + n.width, 0) + NODE_GAP * Math.max(0, layer.length - 1);
  const width = Math.max(1, ...layers.map(layerWidth));
  let y = 0;
  for (const layer of layers) {
    const height = Math.max(0, ...layer.map((n) => n.height));
    let x = (width - layerWidth(layer)) / 2;
    for (const n of layer) {
      n.x = x + n.width / 2;
      n.y = y + height / 2;
      x += n.width + NODE_GAP;
    }
    y += height + LAYER_GAP;
  }

  const real = new Map([...nodes.values()].filter((n) => !n.dummy).map((n) => [n.id, n]));
  return {
    nodes: new Map([...real].map(([id, n]) => [id, { x: n.x, y: n.y, width: n.width, height: n.height, layer: n.layer }])),
    edges: chains.map((c) => {
      const points = c.path.map((id) => {
        const n = nodes.get(id) as LayoutNode;
        return [n.x, n.y] as [number, number];
      });
      const [first, last] = [nodes.get(c.path[0]) as LayoutNode, nodes.get(c.path[c.path.length - 1]) as LayoutNode];
      points[0] = [first.x, first.y + first.height / 2];
      points[points.length - 1] = [last.x, last.y - last.height / 2];
      return { from: c.from, to: c.to, points };
    }),
    width,
    height: Math.max(0, y - LAYER_GAP),
  };
}

/** Tableau 10 (group outlines and labels) and its light companions (box fills, dark text stays readable). */
const GROUP_STROKES = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const GROUP_FILLS = ['#aec7e8', '#ffbb78', '#98df8a', '#ff9896', '#c5b0d5', '#c49c94', '#f7b6d2', '#c7c7c7', '#dbdb8d', '#9edae5'];
const LAYOUT_OP = 'layout op (no compute)';
const GRAPH_IO = 'graph input / output';
const GROUP_PADDING = 12;
const MARGIN = 24;

const pixel = (field: string) => ({ field, type: 'quantitative' as const, scale: null, axis: null });

function isDrawn(node: WorkloadNode): boolean {
  return !(node.kind === 'in' && node.isInitializer) && node.kind !== 'transfer';
}

export function workloadGraphChart(input: GraphInput): TemplateChart {
  const drawn = input.workload.nodes.filter(isDrawn);
  const ids = drawn.map((n) => n.name);
  const idSet = new Set(ids);
  const edges = input.workload.edges.filter((e) => idSet.has(e.from) && idSet.has(e.to));

  const placement = new Map<string, { group: number; cores: readonly number[]; type: string }>();
  for (const g of input.groups) for (const n of g.group.nodes) placement.set(n.name, { group: g.index, cores: n.coreIds, type: n.type });
  // The generic pipeline expands a normalisation (Softmax, LayerNorm, ...) into sub-operators named
  // `<node>/<op>`; the graph shows the node with where its sub-operators run.
  for (const node of drawn) {
    if (node.kind !== 'computation' || placement.has(node.name)) continue;
    const parts = input.groups.flatMap((g) => g.group.nodes.filter((n) => n.name.startsWith(`${node.name}/`)).map((n) => ({ g: g.index, n })));
    if (parts.length === 0) continue;
    placement.set(node.name, {
      group: parts[0].g,
      cores: [...new Set(parts.flatMap((p) => p.n.coreIds))],
      type: `${node.type} (${parts.length} ops)`,
    });
  }
  const groupLabel = (i: number) => `fusion group ${i}`;
  const labelOf = (node: WorkloadNode) => {
    const p = placement.get(node.name);
    if (p) return { title: node.name, detail: `${p.type} · core${p.cores.length > 1 ? 's' : ''} ${compactIds(p.cores)}`, category: groupLabel(p.group) };
    if (node.kind === 'fusion-edge') return { title: node.name, detail: node.opType, category: LAYOUT_OP };
    if (node.kind === 'computation') return { title: node.name, detail: `${node.type} · not scheduled`, category: LAYOUT_OP };
    return { title: node.name, detail: node.kind === 'in' ? 'graph input' : 'graph output', category: GRAPH_IO };
  };
  const labels = new Map(drawn.map((n) => [n.name, labelOf(n)]));
  const layout = layoutDag(ids, edges, (id) => {
    const l = labels.get(id);
    const textWidth = Math.max(textWidthPx(l?.title ?? id, 12, true), textWidthPx(l?.detail ?? '', 10));
    return { width: Math.max(90, Math.ceil(textWidth) + 22), height: l?.category === GRAPH_IO ? 34 : 42 };
  });
  const title = `Workload ${input.workload.name}: ${input.groups.length} fusion group${input.groups.length === 1 ? '' : 's'}`;
  const subtitle = ['Box: node, operator type and the cores it is mapped to.', 'Colour: its fusion group. Weights are not drawn.'];

  // In layout coordinates first; translated into the picture once the extent is known.
  const nodeBoxes = drawn.map((n) => {
    const p = layout.nodes.get(n.name);
    const l = labels.get(n.name);
    const [x, y, w, h] = [p?.x ?? 0, p?.y ?? 0, p?.width ?? 0, p?.height ?? 0];
    return { name: n.name, title: l?.title ?? n.name, detail: l?.detail ?? '', category: l?.category ?? GRAPH_IO, x, y, x0: x - w / 2, x1: x + w / 2, y0: y - h / 2, y1: y + h / 2 };
  });
  const groupFrames: { category: string; outline: string; label: string; x0: number; y0: number; x1: number; y1: number }[] = input.groups
    .map((g) => {
      const members = nodeBoxes.filter((b) => placement.get(b.name)?.group === g.index);
      if (members.length === 0) return undefined;
      const label = groupLabel(g.index);
      // Edges enter a group at its nodes' top centres: the label ends left of the leftmost one.
      const leftmostCentre = Math.min(...members.map((b) => b.x));
      const x0 = Math.min(Math.min(...members.map((b) => b.x0)) - GROUP_PADDING, leftmostCentre - textWidthPx(label, 11, true) - 14);
      return {
        category: label,
        outline: label,
        label,
        x0,
        y0: Math.min(...members.map((b) => b.y0)) - GROUP_PADDING - 14,
        x1: Math.max(...members.map((b) => b.x1)) + GROUP_PADDING,
        y1: Math.max(...members.map((b) => b.y1)) + GROUP_PADDING,
      };
    })
    .filter((b): b is NonNullable<typeof b> => b !== undefined);
  // Frames only help when groups are contiguous: overlapping frames would suggest a wrong membership.
  const overlapping = groupFrames.some((a, i) => groupFrames.some((b, j) => i < j && a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1));
  if (overlapping) groupFrames.length = 0;
  const left = Math.min(0, ...groupFrames.map((b) => b.x0));
  const right = Math.max(layout.width, ...groupFrames.map((b) => b.x1));
  const titleWidth = Math.max(textWidthPx(title, 15, true), ...subtitle.map((line) => textWidthPx(line, 12)));
  const width = Math.ceil(Math.max(right - left + 2 * MARGIN, titleWidth));
  const dx = (width - (right - left)) / 2 - left;
  const dy = MARGIN + 16;

  const boxes = nodeBoxes.map((b) => ({ ...b, x: b.x + dx, x0: b.x0 + dx, x1: b.x1 + dx, y: b.y + dy, y0: b.y0 + dy, y1: b.y1 + dy }));
  const groupBoxes = groupFrames.map((b) => ({ ...b, x0: b.x0 + dx, x1: b.x1 + dx, y0: b.y0 + dy, y1: b.y1 + dy }));
  const edgePoints = layout.edges.flatMap((e, i) => e.points.map(([x, y], k) => ({ edge: i, k, x: x + dx, y: y + dy })));
  const arrowHeads = layout.edges.map((e) => {
    const [x, y] = e.points[e.points.length - 1];
    return { x: x + dx, y: y + dy - 5 };
  });

  const present = new Set(boxes.map((b) => b.category));
  const kinds = [LAYOUT_OP, GRAPH_IO].filter((k) => present.has(k));
  const categories = [...input.groups.map((g) => groupLabel(g.index)), ...kinds];
  const palette = (colors: readonly string[], layoutOp: string, io: string) => [
    ...input.groups.map((_, i) => colors[i % colors.length]),
    ...kinds.map((k) => (k === LAYOUT_OP ? layoutOp : io)),
  ];
  return {
    kind: 'workload-graph',
    signals: {
      chartTitle: title,
      chartSubtitle: subtitle,
      width,
      height: Math.ceil(layout.height + 2 * MARGIN + 16),
      categories,
      fills: palette(GROUP_FILLS, '#d9d9d9', '#f2f2f2'),
      strokes: palette(GROUP_STROKES, '#888888', '#aaaaaa'),
    },
    datasets: { groupBoxes, edgePoints, arrowHeads, boxes },
  };
}

/** Pixel positions come with the data; the colours of the categories (groups, kinds of node) are signals. */
function workloadGraphTemplate(): TopLevelSpec {
  const fill = { field: 'category', type: 'nominal' as const, scale: { domain: { expr: 'categories' }, range: [signalPlaceholder('fills')] } };
  // A field of its own: sharing `category` would merge this legend-less scale's legend with the fill's.
  const stroke = { field: 'outline', type: 'nominal' as const, scale: { domain: { expr: 'categories' }, range: [signalPlaceholder('strokes')] }, legend: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: { ...CHART_CONFIG, view: { stroke: null } },
    params: [
      { name: 'chartTitle', value: '' },
      { name: 'chartSubtitle', value: [] },
      { name: 'categories', value: [] },
      { name: 'fills', value: [] },
      { name: 'strokes', value: [] },
    ],
    title: { text: { expr: 'chartTitle' }, subtitle: signalPlaceholder('chartSubtitle') },
    // Placeholders: every chart sets its own size.
    width: 100,
    height: 100,
    layer: [
      {
        data: { name: 'groupBoxes' },
        mark: { type: 'rect', fillOpacity: 0.25, strokeDash: [4, 3], strokeWidth: 1.2, cornerRadius: 6 },
        encoding: { x: pixel('x0'), x2: { field: 'x1' }, y: pixel('y0'), y2: { field: 'y1' }, fill, stroke },
      },
      {
        data: { name: 'groupBoxes' },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 6, dy: 4, fontSize: 11, fontWeight: 'bold' },
        encoding: { x: pixel('x0'), y: pixel('y0'), text: { field: 'label', type: 'nominal' }, color: stroke },
      },
      {
        data: { name: 'edgePoints' },
        mark: { type: 'line', color: '#666', strokeWidth: 1.3, interpolate: 'basis' },
        encoding: { x: pixel('x'), y: pixel('y'), detail: { field: 'edge', type: 'nominal' }, order: { field: 'k', type: 'quantitative' } },
      },
      {
        data: { name: 'arrowHeads' },
        mark: { type: 'point', shape: 'triangle-down', filled: true, size: 50, color: '#666', opacity: 1 },
        encoding: { x: pixel('x'), y: pixel('y') },
      },
      {
        data: { name: 'boxes' },
        mark: { type: 'rect', cornerRadius: 5, stroke: '#333', strokeWidth: 0.8 },
        encoding: {
          x: pixel('x0'),
          x2: { field: 'x1' },
          y: pixel('y0'),
          y2: { field: 'y1' },
          fill: { ...fill, legend: { title: null, orient: 'bottom', direction: 'horizontal', columns: 4 } },
        },
      },
      {
        data: { name: 'boxes' },
        mark: { type: 'text', baseline: 'bottom', dy: -1, fontSize: 12, fontWeight: 'bold', color: '#111' },
        encoding: { x: pixel('x'), y: pixel('y'), text: { field: 'title', type: 'nominal' } },
      },
      {
        data: { name: 'boxes' },
        mark: { type: 'text', baseline: 'top', dy: 3, fontSize: 10, color: '#222' },
        encoding: { x: pixel('x'), y: pixel('y'), text: { field: 'detail', type: 'nominal' } },
      },
    ],
  };
}

export const WORKLOAD_GRAPH_TEMPLATE: TopLevelSpec = workloadGraphTemplate();
