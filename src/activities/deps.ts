import type { AppConfig } from '../config';
import type { RegistrySource } from '../source/registrySource';
import type { BlobStore } from '../storage/blobStore';

/** Everything the activities need from the outside world, injected by the worker (or a test). */
export interface ActivityDeps {
  config: Pick<AppConfig, 'sourceUrl' | 'sourceMaxBytes' | 'destination' | 'publishMaxDropFraction'>;
  source: RegistrySource;
  openStore(destination: string): BlobStore;
  codeVersion: string;
  now?: () => Date;
}
