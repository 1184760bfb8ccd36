import type { MinioCoordinates } from '../../src/services/minioServer';

/** How tests reach the suite's shared Temporal dev server. */
export interface TemporalCoordinates {
  /** host:port of the gRPC frontend. */
  address: string;
  namespace: string;
}

/** Executables globalSetup found or built, so tests can start servers of their own without building. */
export interface ServiceBinaries {
  /** Undefined when Go was absent and @temporalio/testing downloaded the CLI instead. */
  temporalCli?: string;
  minio: string;
}

// What test/globalSetup.ts hands to every test file through vitest's provide/inject.
declare module 'vitest' {
  export interface ProvidedContext {
    temporal: TemporalCoordinates;
    minio: MinioCoordinates;
    serviceBinaries: ServiceBinaries;
  }
}
