// Colouring the map's points: by folder (categorical), by split use, or by error rate (a ramp);
// each mode gives one packed colour per point and the legend that explains it.
import { MAP_SPLIT_USES } from '../../../shared/types.js';
import { hexToRgba } from './draw.js';

export type ColourBy = 'folder' | 'split' | 'error';

export interface LegendEntry {
  label: string;
  colour: string;
  count: number;
}

export interface PointColours {
  colour: Uint32Array;
  legend: LegendEntry[];
  /** Each point's legend entry (its index in `legend`): picking an entry selects its points without a mouse. */
  group: Uint16Array;
  /** The value shown for a point on hover. */
  describe(i: number): string;
}

/** Tableau-like categorical colours, readable on the dark and the light theme. */
const CATEGORICAL = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#86bcb6', '#d37295'];
const OTHER = '#8a8f98';
const SPLIT_COLOURS: Record<(typeof MAP_SPLIT_USES)[number], string> = { none: '#8a8f98', train: '#4e79a7', test: '#f28e2b', both: '#b07aa1' };
/**
 * Error-rate ramp stops: 0 → blue, 0.5 → amber, 1 → red. Not green to red: the commonest colour
 * blindness (red-green) cannot tell those ends apart; blue against amber and red it can.
 */
const RAMP = ['#4e79a7', '#edc948', '#e15759'];

export interface ColourData {
  count: number;
  folders: string[];
  folder: ArrayLike<number>;
  split: ArrayLike<number>;
  errorRate: Float32Array;
}

export function pointColours(d: ColourData, by: ColourBy): PointColours {
  if (by === 'folder') return byFolder(d);
  if (by === 'split') return bySplit(d);
  return byError(d);
}

function byFolder(d: ColourData): PointColours {
  // The largest folders get their own colour; the rest share "other".
  const counts = d.folders.map(() => 0);
  for (let i = 0; i < d.count; i++) counts[d.folder[i]]++;
  const order = d.folders.map((_, k) => k).sort((a, b) => counts[b] - counts[a]);
  const hex = new Array<string>(d.folders.length).fill(OTHER);
  order.slice(0, CATEGORICAL.length).forEach((k, rank) => (hex[k] = CATEGORICAL[rank]));
  const packed = hex.map((h) => hexToRgba(h));
  const colour = new Uint32Array(d.count);
  for (let i = 0; i < d.count; i++) colour[i] = packed[d.folder[i]];
  const named = order.slice(0, CATEGORICAL.length).map((k) => ({ label: d.folders[k] || '(top level)', colour: hex[k], count: counts[k] }));
  const rest = order.slice(CATEGORICAL.length).reduce((s, k) => s + counts[k], 0);
  const legend = rest ? [...named, { label: `${order.length - CATEGORICAL.length} other folders`, colour: OTHER, count: rest }] : named;
  // A folder's entry: its rank among the largest, else the shared "other" one after them.
  const entryOf = new Uint16Array(d.folders.length).fill(named.length);
  order.slice(0, CATEGORICAL.length).forEach((k, rank) => (entryOf[k] = rank));
  const group = new Uint16Array(d.count);
  for (let i = 0; i < d.count; i++) group[i] = entryOf[d.folder[i]];
  return { colour, legend, group, describe: (i) => d.folders[d.folder[i]] || '(top level)' };
}

function bySplit(d: ColourData): PointColours {
  const packed = MAP_SPLIT_USES.map((s) => hexToRgba(SPLIT_COLOURS[s]));
  const counts = MAP_SPLIT_USES.map(() => 0);
  const colour = new Uint32Array(d.count);
  const group = new Uint16Array(d.count);
  for (let i = 0; i < d.count; i++) (colour[i] = packed[d.split[i]]), counts[d.split[i]]++, (group[i] = d.split[i]);
  const labels = { none: 'in no triplet', train: 'train only', test: 'test only', both: 'train and test' };
  return {
    colour,
    legend: MAP_SPLIT_USES.map((s, k) => ({ label: labels[s], colour: SPLIT_COLOURS[s], count: counts[k] })),
    group,
    describe: (i) => labels[MAP_SPLIT_USES[d.split[i]]],
  };
}

function ramp(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const k = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - k;
  const [a, b] = [RAMP[k], RAMP[k + 1]].map((h) => [1, 3, 5].map((o) => parseInt(h.slice(o, o + 2), 16)));
  return '#' + a.map((v, j) => Math.round(v + (b[j] - v) * f).toString(16).padStart(2, '0')).join('');
}

function byError(d: ColourData): PointColours {
  const steps = 11;
  const packed = Array.from({ length: steps }, (_, k) => hexToRgba(ramp(k / (steps - 1))));
  const none = hexToRgba(OTHER, 140);
  const colour = new Uint32Array(d.count);
  const counts = [0, 0, 0, 0];
  const group = new Uint16Array(d.count);
  for (let i = 0; i < d.count; i++) {
    const e = d.errorRate[i];
    group[i] = Number.isNaN(e) ? 3 : e === 0 ? 0 : e < 0.5 ? 1 : 2;
    colour[i] = Number.isNaN(e) ? none : packed[Math.round(e * (steps - 1))];
    counts[group[i]]++;
  }
  return {
    colour,
    legend: [
      { label: 'no test triplet wrong', colour: ramp(0), count: counts[0] },
      { label: 'under half wrong', colour: ramp(0.4), count: counts[1] },
      { label: 'half or more wrong', colour: ramp(1), count: counts[2] },
      { label: 'no scored test triplet', colour: OTHER, count: counts[3] },
    ],
    group,
    describe: (i) => (Number.isNaN(d.errorRate[i]) ? 'no scored test triplet' : `${Math.round(d.errorRate[i] * 100)}% of its test triplets wrong`),
  };
}
