/**
 * Values seen in the National Chargepoint Registry, or like them. Every text here
 * is "clean" (trimmed, non-empty): the irregular values come only from edge cases
 * (edgeCases.ts), so tests can tell the two apart. Some clean values still need
 * care downstream: commas and quotes (CSV quoting) and non-ASCII text.
 */

export interface Manufacturer {
  name: string;
  models: readonly string[];
  /** Relative share of sites. */
  weight: number;
}

export const MANUFACTURERS: readonly Manufacturer[] = [
  { name: 'Pod Point', weight: 14, models: ['Solo 3', 'Solo 3S', 'Twin UP', 'Twin', 'PP-D-R60-T2-1'] },
  { name: 'Rolec', weight: 8, models: ['AutoCharge', 'QubEV', 'WallPod EV', 'SecuriCharge', 'BasiCharge'] },
  { name: 'ubitricity', weight: 7, models: ['SimpleSocket', 'Heinz', 'Heinz 2'] },
  { name: 'ABB', weight: 6, models: ['Terra 53', 'Terra 54', 'Terra 184', 'Terra AC', 'Terra "HP" 175'] },
  { name: 'APT', weight: 5, models: ['Raption', 'Raption 50', 'Raption 100'] },
  { name: 'Alfen', weight: 5, models: ['Eve Double Pro-line', 'Eve Single S-line', 'Twin 5'] },
  { name: 'Wallbox', weight: 3, models: ['Pulsar Plus, 7kW', 'Copper SB', 'Commander 2', 'Supernova'] },
  { name: 'Tritium', weight: 3, models: ['RTM 50kW', 'PKM150', 'Veefil-RT'] },
  { name: 'Efacec', weight: 2, models: ['QC45', 'HV160', 'Public Charger'] },
  { name: 'Kempower', weight: 2, models: ['S-Series', 'T-Series'] },
  { name: 'Zaptec', weight: 2, models: ['Pro', 'Go'] },
  { name: 'MENNEKES', weight: 2, models: ['AMTRON® Professional', 'AMEDIO Professional+'] },
  { name: 'EO Charging', weight: 2, models: ['EO Genius', 'EO Mini Pro 2'] },
  { name: 'Char.gy', weight: 3, models: ['Lamp post charger', 'Bollard'] },
  { name: 'Connected Kerb', weight: 3, models: ['Gen2', 'Gen3 Kerbside'] },
  { name: 'Siemens', weight: 2, models: ['VersiCharge', 'Sicharge D'] },
  { name: 'Schneider Electric', weight: 2, models: ['EVlink Parking', 'EVlink Pro AC'] },
  { name: 'Circontrol', weight: 1, models: ['Raption 50', 'eNext Park'] },
  { name: 'DBT', weight: 1, models: ['DBT-CEV QC 50kW'] },
  { name: 'Andersen', weight: 1, models: ['A2', 'A3'] },
  { name: 'Garo', weight: 1, models: ['Twinbox', 'GLB+'] },
  { name: 'Chargepoint', weight: 1, models: ['CT4000', 'CPF50'] },
  { name: 'Ekoenergetyka', weight: 1, models: ['Axon Side 150'] },
  { name: 'Other', weight: 3, models: ['CPE200T-S-CHD-CMB', 'Unknown', 'See notes'] },
];

export const LOCATION_TYPES: readonly { name: string; weight: number }[] = [
  { name: 'On-street', weight: 30 },
  { name: 'Public car park', weight: 14 },
  { name: 'Retail car park', weight: 9 },
  { name: 'Service station', weight: 5 },
  { name: 'Hotel / Accommodation', weight: 6 },
  { name: 'Workplace car park', weight: 6 },
  { name: 'Leisure centre', weight: 4 },
  { name: 'Dealership forecourt', weight: 3 },
  { name: 'Educational establishment', weight: 3 },
  { name: 'NHS property', weight: 3 },
  { name: 'Park & Ride', weight: 2 },
  { name: 'Supermarket', weight: 8 },
  { name: 'Private home', weight: 1 },
  { name: 'Other', weight: 6 },
];

export interface Network {
  name: string;
  schemeCode: string;
  website: string;
  telephone: string;
  payment: string;
}

export const NETWORKS: readonly Network[] = [
  {
    name: 'InstaVolt Ltd',
    schemeCode: 'INSTAV',
    website: 'instavolt.co.uk',
    telephone: '01256 305900',
    payment: '£0.35p/KWh or a maximum of £18 per session',
  },
  {
    name: 'Pod Point',
    schemeCode: 'PODPOINT',
    website: 'https://pod-point.com',
    telephone: '020 7247 4114',
    payment: 'Pay by app: 25p per kWh, free for the first 30 minutes at participating stores',
  },
  {
    name: 'The GeniePoint Network',
    schemeCode: 'C222',
    website: 'https://www.equans.co.uk/ev-solutions',
    telephone: '02035984087',
    payment: 'visit www.geniepoint.co.uk',
  },
  {
    name: 'Shell Recharge',
    schemeCode: 'SHELLR',
    website: 'https://www.shell.co.uk/electric-vehicle-charging.html',
    telephone: '0330 088 3388',
    payment: 'Contactless card, Shell Recharge app or card; 79p/kWh',
  },
  {
    name: 'BP Pulse',
    schemeCode: 'BPCM',
    website: 'https://www.bppulse.co.uk',
    telephone: '0330 016 5072',
    payment: 'Subscription {Pulse+} members 59p/kWh, guests 79p/kWh',
  },
  {
    name: 'Char.gy',
    schemeCode: 'CHARGY',
    website: 'https://char.gy',
    telephone: '0333 577 0477',
    payment: 'Pay as you go via the char.gy app, tariff shown in app',
  },
  {
    name: 'Connected Kerb',
    schemeCode: 'CKERB',
    website: 'https://www.connectedkerb.com',
    telephone: '0800 808 5595',
    payment: 'PAYG: scan the QR code on the unit',
  },
  {
    name: 'Source London',
    schemeCode: 'SRCLDN',
    website: 'https://www.sourcelondon.net',
    telephone: '020 3514 7555',
    payment: 'Membership or "pay as you go" via the Source London app',
  },
  {
    name: 'ChargePlace Scotland',
    schemeCode: 'CPS',
    website: 'https://chargeplacescotland.org',
    telephone: '0141 648 0750',
    payment: 'Tariffs set by each host; some units are free to use',
  },
  {
    name: 'Ionity',
    schemeCode: 'IONITY',
    website: 'https://ionity.eu',
    telephone: '0800 069 8660',
    payment: '69p/kWh ad hoc; reduced with a subscription',
  },
  {
    name: 'Osprey',
    schemeCode: 'OSPREY',
    website: 'https://www.ospreycharging.co.uk',
    telephone: '0330 808 8280',
    payment: 'Contactless payment, 75p/kWh',
  },
  {
    name: 'Gridserve',
    schemeCode: 'GRIDSV',
    website: 'https://www.gridserve.com',
    telephone: '0800 112 3456',
    payment: 'Contactless on every charger; Gridserve app',
  },
  {
    name: 'Canolfan Gwefru Cymru',
    schemeCode: 'CYMRU',
    website: 'https://gwefru.cymru',
    telephone: '029 2000 0000',
    payment: 'Talu drwy’r ap — pay via the app, 40c/kWh',
  },
];

export const DEVICE_STATUSES = [
  'In service',
  'In service',
  'In service',
  'In service',
  'Planned',
  'Out of service',
] as const;

export interface ConnectorKind {
  type: string;
  outputKw: string;
  voltage: string;
  current: string;
  method: string;
  mode: string;
  tethered: string;
}

export const CONNECTOR_KINDS: readonly ConnectorKind[] = [
  {
    type: 'Type 2 Mennekes (IEC62196)',
    outputKw: '7.0',
    voltage: '230',
    current: '32',
    method: 'Single Phase AC',
    mode: '3',
    tethered: '0',
  },
  {
    type: 'Type 2 Mennekes (IEC62196)',
    outputKw: '22.0',
    voltage: '400',
    current: '32',
    method: 'Three Phase AC',
    mode: '3',
    tethered: '0',
  },
  {
    type: 'CCS Type 2 Combo (IEC62196)',
    outputKw: '50.0',
    voltage: '400',
    current: '125',
    method: 'DC',
    mode: '4',
    tethered: '1',
  },
  {
    type: 'CCS Type 2 Combo (IEC62196)',
    outputKw: '150.0',
    voltage: '920',
    current: '200',
    method: 'DC',
    mode: '4',
    tethered: '1',
  },
  {
    type: 'JEVS G105 (CHAdeMO) DC',
    outputKw: '50.0',
    voltage: '400',
    current: '125',
    method: 'DC',
    mode: '4',
    tethered: '1',
  },
  {
    type: '3-pin Type G (BS1363)',
    outputKw: '3.7',
    voltage: '230',
    current: '16',
    method: 'Single Phase AC',
    mode: '3',
    tethered: '0',
  },
  {
    type: 'Type 2 Tethered Connector',
    outputKw: '22.0',
    voltage: '400',
    current: '32',
    method: 'Three Phase AC',
    mode: '3',
    tethered: '1',
  },
];

export const TOWNS: readonly { town: string; county: string }[] = [
  { town: 'Durham', county: 'Durham' },
  { town: 'Reading', county: 'Berkshire' },
  { town: 'Belfast', county: 'Antrim' },
  { town: 'Chafford Hundred', county: 'Essex' },
  { town: 'London', county: 'Greater London' },
  { town: 'Manchester', county: 'Greater Manchester' },
  { town: 'Leeds', county: 'West Yorkshire' },
  { town: 'Bristol', county: 'Bristol' },
  { town: 'Norwich', county: 'Norfolk' },
  { town: 'Caerdydd', county: 'Cardiff' },
  { town: 'Llanfairpwllgwyngyll', county: 'Ynys Môn' },
  { town: 'Aberystwyth', county: 'Ceredigion' },
  { town: 'Inverness', county: 'Highland' },
  { town: 'Kirkcaldy', county: 'Fife' },
  { town: 'St Ives', county: 'Cornwall' },
  { town: 'Milton Keynes', county: 'Buckinghamshire' },
  { town: 'Stoke-on-Trent', county: 'Staffordshire' },
  { town: 'Brighton & Hove', county: 'East Sussex' },
  { town: 'Newcastle upon Tyne', county: 'Tyne and Wear' },
  { town: 'Plymouth', county: 'Devon' },
];

export const STREETS: readonly string[] = [
  'High Street',
  'Station Road',
  'Eden Terrace',
  'Bridge Street',
  'Little Donegall Street',
  'Howard Road',
  'Church Lane',
  'Victoria Road',
  'Park Avenue',
  'Heol y Frenhines',
  'Ffordd Penrhos',
  'Queen’s Parade',
  'Market Square',
  'Mill Lane',
  'London Road',
  'The Green',
  'Sràid na h-Eaglais',
  'King’s Walk',
  'Riverside Way',
  'Castle Street',
];

export const BUILDINGS: readonly string[] = [
  '',
  '',
  '',
  'Bannatyne Health Club & Spa',
  'Civic Offices',
  'Tesco Extra',
  'Sainsbury’s',
  'Premier Inn',
  'Holiday Inn Express',
  'Canolfan Hamdden',
  'Town Hall',
  'Motorway Services (Welcome Break)',
  'Royal Infirmary',
  'Park & Ride',
  'ASDA Superstore',
  'Hôtel du Vin',
  'Leisure Centre',
  'Multi-storey car park "Level 2"',
];

/**
 * Sentences of free text, some with quotes, braces, apostrophes and non-ASCII
 * text; LocationLongDescription and the details fields are built from them.
 */
export const SENTENCES: readonly string[] = [
  'Station can be found within the car park of Bannatyne Gym.',
  'This station is available for all public use.',
  'On-street charging point, usual parking restrictions apply.',
  'Follow the signs for "EV charging" from the main entrance; the bays are on the left.',
  'Access via the barrier: press {help} on the intercom and quote the bay number.',
  'Chargers are located on level -1 next to the lifts (bays 101–104).',
  'Customers only during opening hours, 07:00–22:00 Monday to Saturday.',
  'Mae’r pwynt gwefru ar gael i bawb — the charger is available to everyone.',
  'Please don’t park here unless you are charging: a £70 penalty may apply.',
  'Tap your card on the reader marked “Contactless”, then plug in.',
  'Lorsque le chargeur est occupé, veuillez patienter — thank you!',
  'The unit is mounted on the lamp post outside no. 14; bring your own Type 2 cable.',
  'Height restriction 2.1 m. Disabled access via the ramp at the rear of the building.',
  'Out-of-hours support: call the number on the unit or use the app’s "Report a fault" button.',
  'Free for the first 2 hours, then £1.50/hour; max stay 4 hours {no return within 1 hour}.',
  'Two 22 kW sockets share one supply, so each gives 11 kW while both are in use.',
  'Charger replaced in 2023 \\ previous unit decommissioned.',
  'Located beside the café; the car park closes at 23:30 ☕.',
  'Key fob required: ask at reception (24/7), ID needed.',
  'Use bay 3 or 4 — bays 1 and 2 are reserved for the car club 🚗.',
];
