import {
  CHARGE_POINTS_CSV_FILE_NAME,
  CHARGE_POINTS_MANIFEST_FILE_NAME,
  type ChargePointsManifest,
} from './chargePointsManifest';
import { CSV_FILE_NAME, MANIFEST_FILE_NAME, STABLE_CSV_KEY, STABLE_MANIFEST_KEY, type Manifest } from './manifest';

/** The fields of a manifest that publishing relies on; the rest is informative. */
export interface PublishableManifest {
  dataset: string;
  csv: { key: string; uri: string; bytes: number; sha256: string };
  runId: string;
  runStartedAt: string;
}

/** What publishing needs to know of a dataset: its keys in the destination and what its publish guard compares. */
export interface DatasetDescriptor<M extends PublishableManifest> {
  name: M['dataset'];
  /** The CSV's file name in staging and history. */
  csvFileName: string;
  /** The key the consumers read. */
  stableCsvKey: string;
  /** The manifest of the CSV at the stable key. */
  stableManifestKey: string;
  /** The manifest's file name in the run's history folder. */
  historyManifestFileName: string;
  /** The name of the `stats` counter the publish guard compares: refusals name it, and a published manifest must hold it. */
  keptLabel: string;
  /** That counter's value in a manifest. */
  keptCount(manifest: M): number;
}

/** The NCR dataset: keys and messages exactly as before a second dataset existed. */
export const CHARGER_MODELS_DATASET: DatasetDescriptor<Manifest> = {
  name: 'charger_models_UK',
  csvFileName: CSV_FILE_NAME,
  stableCsvKey: STABLE_CSV_KEY,
  stableManifestKey: STABLE_MANIFEST_KEY,
  historyManifestFileName: MANIFEST_FILE_NAME,
  keptLabel: 'devicesKept',
  keptCount: (manifest) => manifest.stats.devicesKept,
};

/** The open-data (OCPI) dataset: its files are named after it, so they sit beside the NCR's. */
export const CHARGE_POINTS_DATASET: DatasetDescriptor<ChargePointsManifest> = {
  name: 'charge_points_UK',
  csvFileName: CHARGE_POINTS_CSV_FILE_NAME,
  stableCsvKey: CHARGE_POINTS_CSV_FILE_NAME,
  stableManifestKey: CHARGE_POINTS_MANIFEST_FILE_NAME,
  historyManifestFileName: CHARGE_POINTS_MANIFEST_FILE_NAME,
  keptLabel: 'evsesKept',
  keptCount: (manifest) => manifest.stats.evsesKept,
};
