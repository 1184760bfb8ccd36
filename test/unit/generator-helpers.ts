import {
  DEFAULT_EDGE_RATE,
  registryText,
  type GeneratedDevice,
  type PayloadOptions,
} from '../../bench/generator/syntheticRegistry';

export interface GeneratedPayload {
  text: string;
  devices: GeneratedDevice[];
}

/** A small synthetic payload held in memory, with what the generator reported for each device. */
export function generate(options: Partial<PayloadOptions> & { devices: number }): GeneratedPayload {
  const devices: GeneratedDevice[] = [];
  const pieces = [
    ...registryText({ seed: 1, edgeRate: DEFAULT_EDGE_RATE, schemePosition: 'before', ...options }, (device) =>
      devices.push(device),
    ),
  ];
  return { text: pieces.join(''), devices };
}

/** A parsed device record (the payload's shape, loosely typed for assertions). */
export type DeviceRecord = Record<string, unknown> & {
  ChargeDeviceLocation: { Address: Record<string, unknown> } & Record<string, unknown>;
  Connector: Record<string, unknown>[];
};

export function parseDevices(text: string): DeviceRecord[] {
  return (JSON.parse(text) as { ChargeDevice: DeviceRecord[] }).ChargeDevice;
}
