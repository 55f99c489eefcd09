/**
 * The workload graph with its fusion groups and the cores every node is mapped to, drawn top-down with
 * Observable Plot marks on a layered layout computed here (Sugiyama style, kept simple): longest-path
 * layering, dummy nodes on edges that span several layers, a few barycentre sweeps to reduce crossings,
 * then each layer centred. Weights (ONNX initialisers) are left out; graph inputs and outputs and
 * layout-only operators are grey.
 *
 * `workloadGraphChart` lays the graph out and gives every box, frame and edge point in pixels with its
 * colours; `drawWorkloadGraph` (in the picture bundle) only draws them.
 */
import { Workload, WorkloadNode } from '../../workload/model';
import { compactIds } from '../timeline';
import { Kit, LegendEntry, PIXEL_SCALES, figure, headerBlock, legendBlock, plotBlock, textWidth } from './figure';
import { TemplateChart } from './template';

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
const KIND_FILLS: Readonly<Record<string, string>> = { [LAYOUT_OP]: '#d9d9d9', [GRAPH_IO]: '#f2f2f2' };
const GROUP_PADDING = 12;
/** Room above a group's boxes for its label. */
const GROUP_LABEL_ROOM = 14;
const GROUP_LABEL_SIZE = 11;
/** Blank around the graph inside its block (the figure adds its own padding). */
const MARGIN = 8;
const TITLE_SIZE = 12;
const DETAIL_SIZE = 10;
/** Arrow heads: a filled triangle this long, its tip on the target's top edge. */
const ARROW_LENGTH = 7;
/** A position rounded to a tenth of a pixel: a shorter SVG. */
const px = (v: number) => Math.round(v * 10) / 10;

/** A node's box, in pixels, with its fill. */
export interface GraphBox {
  readonly name: string;
  readonly title: string;
  readonly detail: string;
  readonly fill: string;
  readonly x: number;
  readonly y: number;
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

/** A fusion group's frame, in pixels, with its label and colours. */
export interface GraphFrame {
  readonly label: string;
  readonly fill: string;
  readonly stroke: string;
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

/** A point of edge `edge`'s path (in order), in pixels. */
export interface GraphEdgePoint {
  readonly edge: number;
  readonly x: number;
  readonly y: number;
}

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
    const width = Math.max(textWidth(l?.title ?? id, TITLE_SIZE, true), textWidth(l?.detail ?? '', DETAIL_SIZE));
    return { width: Math.max(90, Math.ceil(width) + 22), height: l?.category === GRAPH_IO ? 34 : 42 };
  });
  const title = `Workload ${input.workload.name}: ${input.groups.length} fusion group${input.groups.length === 1 ? '' : 's'}`;
  const subtitle = ['Box: node, operator type and the cores it is mapped to.', 'Colour: its fusion group. Weights are not drawn.'];

  const groupColour = new Map(input.groups.map((g, i) => [g.index, { fill: GROUP_FILLS[i % GROUP_FILLS.length], stroke: GROUP_STROKES[i % GROUP_STROKES.length] }]));
  const fillOf = (category: string, name: string) => {
    const group = placement.get(name)?.group;
    return group !== undefined ? (groupColour.get(group)?.fill ?? GROUP_FILLS[0]) : (KIND_FILLS[category] ?? KIND_FILLS[GRAPH_IO]);
  };

  // In layout coordinates first; moved into the block once the extent is known.
  const nodeBoxes: GraphBox[] = drawn.map((n) => {
    const p = layout.nodes.get(n.name);
    const l = labels.get(n.name);
    const [x, y, w, h] = [p?.x ?? 0, p?.y ?? 0, p?.width ?? 0, p?.height ?? 0];
    const category = l?.category ?? GRAPH_IO;
    return { name: n.name, title: l?.title ?? n.name, detail: l?.detail ?? '', fill: fillOf(category, n.name), x, y, x0: x - w / 2, x1: x + w / 2, y0: y - h / 2, y1: y + h / 2 };
  });
  const groupOf = (name: string) => placement.get(name)?.group;
  const groupFrames: GraphFrame[] = input.groups
    .map((g) => {
      const members = nodeBoxes.filter((b) => groupOf(b.name) === g.index);
      if (members.length === 0) return undefined;
      const label = groupLabel(g.index);
      const y0 = Math.min(...members.map((b) => b.y0)) - GROUP_PADDING - GROUP_LABEL_ROOM;
      const y1 = Math.max(...members.map((b) => b.y1)) + GROUP_PADDING;
      // Edges that end in the group and bend around its boxes stay inside its frame.
      const bends = layout.edges
        .filter((e) => groupOf(e.to) === g.index || groupOf(e.from) === g.index)
        .flatMap((e) => e.points.slice(1, -1))
        .filter(([, y]) => y > y0 && y < y1)
        .map(([x]) => x);
      // Edges enter a group at its nodes' top centres: the label ends left of the leftmost one.
      const leftmostCentre = Math.min(...members.map((b) => b.x));
      const colour = groupColour.get(g.index) ?? { fill: GROUP_FILLS[0], stroke: GROUP_STROKES[0] };
      return {
        label,
        ...colour,
        x0: Math.min(Math.min(...members.map((b) => b.x0), ...bends) - GROUP_PADDING, leftmostCentre - textWidth(label, GROUP_LABEL_SIZE, true) - 14),
        x1: Math.max(...members.map((b) => b.x1), ...bends) + GROUP_PADDING,
        y0,
        y1,
      };
    })
    .filter((b): b is GraphFrame => b !== undefined);
  // Frames only help when groups are contiguous: overlapping frames would suggest a wrong membership.
  const overlapping = groupFrames.some((a, i) => groupFrames.some((b, j) => i < j && a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1));
  if (overlapping) groupFrames.length = 0;
  const left = Math.min(0, ...groupFrames.map((b) => b.x0));
  const right = Math.max(layout.width, ...groupFrames.map((b) => b.x1));
  const top = Math.min(0, ...groupFrames.map((b) => b.y0));
  const bottom = Math.max(layout.height, ...groupFrames.map((b) => b.y1));
  // The graph is centred under the title when the title is wider.
  const titleWidth = Math.max(textWidth(title, 15, true), ...subtitle.map((line) => textWidth(line, 12)));
  const width = Math.ceil(Math.max(right - left + 2 * MARGIN, titleWidth));
  const dx = (width - (right - left)) / 2 - left;
  const dy = MARGIN - top;

  const boxes = nodeBoxes.map((b) => ({ ...b, x: px(b.x + dx), x0: px(b.x0 + dx), x1: px(b.x1 + dx), y: px(b.y + dy), y0: px(b.y0 + dy), y1: px(b.y1 + dy) }));
  const groupBoxes = groupFrames.map((b) => ({ ...b, x0: px(b.x0 + dx), x1: px(b.x1 + dx), y0: px(b.y0 + dy), y1: px(b.y1 + dy) }));
  // An edge runs straight down beside the boxes of every layer it crosses (from the layer's top to its
  // bottom, at its dummy node) and bends between layers (vertical at every point: Plot's `bump-y`
  // curve), so it never cuts across a box; it stops at its arrow head's base.
  const layerHalfHeight = new Map<number, number>();
  for (const n of layout.nodes.values()) layerHalfHeight.set(n.y, Math.max(layerHalfHeight.get(n.y) ?? 0, n.height / 2));
  const edgePoints: GraphEdgePoint[] = layout.edges.flatMap((e, edge) => {
    const [[sx, sy], [tx, ty]] = [e.points[0], e.points[e.points.length - 1]];
    const through = e.points.slice(1, -1).flatMap(([x, y]) => {
      const half = layerHalfHeight.get(y) ?? 0;
      return [[x, y - half], [x, y + half]];
    });
    return [[sx, sy], ...through, [tx, ty - ARROW_LENGTH]].map(([x, y]) => ({ edge, x: px(x + dx), y: px(y + dy) }));
  });
  const arrowHeads = layout.edges.map((e) => {
    const [x, y] = e.points[e.points.length - 1];
    return { x: px(x + dx), y: px(y + dy) };
  });

  const present = new Set(drawn.map((n) => labels.get(n.name)?.category));
  const legend: LegendEntry[] = [
    ...input.groups.map((g) => ({ label: groupLabel(g.index), color: groupColour.get(g.index)?.fill ?? GROUP_FILLS[0] })),
    ...[LAYOUT_OP, GRAPH_IO].filter((k) => present.has(k)).map((k) => ({ label: k, color: KIND_FILLS[k] })),
  ];
  return {
    kind: 'workload-graph',
    signals: { chartTitle: title, chartSubtitle: subtitle, width, height: Math.ceil(bottom - top + 2 * MARGIN), legend },
    datasets: { groupBoxes, edgePoints, arrowHeads, boxes },
  };
}

/** The area of d3's triangle `ARROW_LENGTH` long: of area `3 sqrt(3) a²`, it is `3a` long, its tip `2a` from its centre. */
const TRIANGLE_SIZE = (ARROW_LENGTH / 3) ** 2 * 3 * Math.sqrt(3);

/** The graph (frames, edges, boxes and labels: one Plot mark each) under its header, over its legend. */
export function drawWorkloadGraph(kit: Kit, chart: TemplateChart): string {
  const { Plot } = kit;
  const width = chart.signals.width as number;
  const groupBoxes = chart.datasets.groupBoxes as readonly GraphFrame[];
  const boxes = chart.datasets.boxes as readonly GraphBox[];
  const arrowHeads = chart.datasets.arrowHeads as readonly { x: number; y: number }[];
  const body = plotBlock(kit, {
    width,
    height: chart.signals.height as number,
    margin: 0,
    ...PIXEL_SCALES,
    color: { type: 'identity' },
    marks: [
      Plot.rect(groupBoxes, { x1: 'x0', x2: 'x1', y1: 'y0', y2: 'y1', fill: 'fill', fillOpacity: 0.25, stroke: 'stroke', strokeDasharray: '4,3', strokeWidth: 1.2, rx: 6 }),
      Plot.text(groupBoxes, { x: (b: GraphFrame) => b.x0 + 6, y: (b: GraphFrame) => b.y0 + 4, text: 'label', textAnchor: 'start', lineAnchor: 'top', fontSize: GROUP_LABEL_SIZE, fontWeight: 'bold', fill: 'stroke' }),
      Plot.line(chart.datasets.edgePoints, { x: 'x', y: 'y', z: 'edge', curve: 'bump-y', stroke: '#666', strokeWidth: 1.3 }),
      // Turned to point down, with its tip on the target's top edge: its centre two thirds of its length above.
      Plot.dot(arrowHeads, { x: 'x', y: (a: { y: number }) => a.y - (ARROW_LENGTH * 2) / 3, symbol: 'triangle', r: Math.sqrt(TRIANGLE_SIZE / Math.PI), rotate: 180, fill: '#666' }),
      Plot.rect(boxes, { x1: 'x0', x2: 'x1', y1: 'y0', y2: 'y1', fill: 'fill', stroke: '#333', strokeWidth: 0.8, rx: 5 }),
      Plot.text(boxes, { x: 'x', y: 'y', text: 'title', lineAnchor: 'bottom', dy: -4, fontSize: TITLE_SIZE, fontWeight: 'bold', fill: '#111' }),
      Plot.text(boxes, { x: 'x', y: 'y', text: 'detail', lineAnchor: 'top', dy: 4, fontSize: DETAIL_SIZE, fill: '#222' }),
    ],
  });
  const header = headerBlock(kit, { title: chart.signals.chartTitle as string, subtitle: chart.signals.chartSubtitle as string[] }, width);
  const legend = legendBlock(kit, { entries: chart.signals.legend as LegendEntry[], maxColumns: 4 }, width);
  return figure(kit, [header, body, legend], [12, 16]);
}
