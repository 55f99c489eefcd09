/**
 * The mapping design space of one workload on one accelerator, as independent axes. Every axis lists
 * its options with option 0 = the auto mapper's choice, so the all-zeros choice vector is the generic
 * mapping (variant 0) and any other vector is a set of deliberate departures from it.
 *
 * A variant is a complete mapping in the shape of a mapping YAML (one layer entry per computation node,
 * one fused group per fusion group), so it runs through the hand-mapping pipeline path unchanged.
 */
import { InterCoreSplit, IntraCoreTile } from '../mapping/model';
import { UniqueDimensions } from '../workload/analysis/unique-dimensions';
import { Workload } from '../workload/model';

/** Where a computation node runs: the cores and how its loops are split over them (Π splits = #cores). */
export interface NodeAllocationChoice {
  readonly node: string;
  readonly coreIds: readonly number[];
  /** Local loops (`D<i>`), in mapping order. */
  readonly interCoreTiling: readonly InterCoreSplit[];
}

/** One option of an allocation axis: an allocation for every node the axis governs. */
export interface AllocationOption {
  readonly label: string;
  readonly nodes: readonly NodeAllocationChoice[];
}

/** Core set and inter-core split of one node, or of all nodes of one operator type. */
export interface AllocationAxis {
  readonly kind: 'allocation';
  /** Node name or operator type. */
  readonly name: string;
  readonly nodes: readonly string[];
  readonly options: readonly AllocationOption[];
}

/**
 * A tiled loop of the base mapping (`<node>.D<loop>`), or a loop the space may start tiling. With the
 * base cut points its tile goes to its base fusion group; with other cut points it goes to whichever
 * group holds the same loop (matched through the whole workload's unique dims).
 */
export interface TileAnchor {
  readonly node: string;
  readonly loop: number;
  /** Fusion group of the base mapping the anchor belongs to. */
  readonly baseGroup: number;
}

/** Per-core tile of one anchor; `null` = the anchor is not tiled. */
export interface TileAxis {
  readonly kind: 'tile';
  /** `<node>.D<loop>`. */
  readonly name: string;
  readonly anchor: TileAnchor;
  readonly options: readonly (number | null)[];
}

export interface CutOption {
  readonly label: string;
  /** Node names after which a fusion group ends (always including the default cut points). */
  readonly cutPoints: readonly string[];
}

export interface CutAxis {
  readonly kind: 'cuts';
  readonly name: string;
  readonly options: readonly CutOption[];
}

export type Axis = AllocationAxis | TileAxis | CutAxis;

/** A fusion group of some cut choice: its computation nodes (dataflow order) and unique dims. */
export interface GroupLayout {
  readonly nodes: readonly string[];
  readonly dimensions: UniqueDimensions;
  /** Unique dims (of this group) that may not be tiled into several blocks. */
  readonly nonlinearReductionDims: ReadonlySet<number>;
  /** The auto mapper's intra-core tiling of this group (capacity-refined), for loops no tile anchor reaches. */
  readonly autoTiles: readonly IntraCoreTile[];
}

export interface VariantSpace {
  /** The workload the variants map (what the hand-mapping path parses). */
  readonly workload: Workload;
  /** Computation nodes in dataflow order. */
  readonly nodes: readonly string[];
  /** Unique dims of every node's loops in the whole workload (`get_dims`), for moving tiles between groups. */
  readonly workloadDims: ReadonlyMap<string, readonly number[]>;
  readonly axes: readonly Axis[];
  /** Number of options of every axis (the radices of the choice vector). */
  readonly radices: readonly number[];
  /** Product of the radices: the number of choice vectors (valid or not). */
  readonly size: bigint;
  /** Group layouts per cut option (index into the cut axis; 0 = the base cut points). */
  readonly layoutOf: (cutOption: number) => readonly GroupLayout[];
  /** Allocation axes per node or per operator type. */
  readonly granularity: 'node' | 'operator-type';
  /** Caveats of the space (e.g. normalisations the hand-mapping path does not expand). */
  readonly notes: readonly string[];
}

/** A complete mapping, as the mapping YAML would say it. */
export interface VariantMapping {
  readonly layers: readonly NodeAllocationChoice[];
  readonly fusedGroups: readonly { readonly name: string; readonly layers: readonly string[]; readonly intraCoreTiling: readonly IntraCoreTile[] }[];
}

export interface Variant {
  /** Position in the sweep (0 = the auto mapper's choice). */
  readonly index: number;
  /** Option index per axis. */
  readonly choice: readonly number[];
  readonly mapping: VariantMapping;
  /** Departures from the base, one per axis that differs (empty for variant 0). */
  readonly changes: readonly string[];
}

/** A choice vector that does not give a usable mapping, and why; the enumeration skips it. */
export interface SkippedChoice {
  readonly choice: readonly number[];
  readonly reason: string;
}
