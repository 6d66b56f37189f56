import type { DatasetInput } from '../input.js';

/** One dataset as read from a remote catalogue, already mapped to our input shape. */
export interface RemoteDataset {
  /** Stable id at the source (CKAN id, or the DCAT dataset IRI / dct:identifier). */
  originalId: string;
  /** Preferred local name. */
  name: string;
  url: string | null;
  modified: Date | null;
  input: DatasetInput;
}

/** A source yields pages of datasets; `total` when the source says how many there are. */
export interface RemotePage {
  datasets: RemoteDataset[];
  skipped: number;
  total: number | null;
}
