import { Random } from './random';

/** Postcode areas of the UK (the letters of the outward code). */
const AREAS = [
  'AB',
  'AL',
  'B',
  'BA',
  'BB',
  'BD',
  'BH',
  'BL',
  'BN',
  'BR',
  'BS',
  'BT',
  'CA',
  'CB',
  'CF',
  'CH',
  'CM',
  'CO',
  'CR',
  'CT',
  'CV',
  'CW',
  'DA',
  'DD',
  'DE',
  'DG',
  'DH',
  'DL',
  'DN',
  'DT',
  'DY',
  'E',
  'EC',
  'EH',
  'EN',
  'EX',
  'FK',
  'FY',
  'G',
  'GL',
  'GU',
  'HA',
  'HD',
  'HG',
  'HP',
  'HR',
  'HS',
  'HU',
  'HX',
  'IG',
  'IP',
  'IV',
  'KA',
  'KT',
  'KW',
  'KY',
  'L',
  'LA',
  'LD',
  'LE',
  'LL',
  'LN',
  'LS',
  'LU',
  'M',
  'ME',
  'MK',
  'ML',
  'N',
  'NE',
  'NG',
  'NN',
  'NP',
  'NR',
  'NW',
  'OL',
  'OX',
  'PA',
  'PE',
  'PH',
  'PL',
  'PO',
  'PR',
  'RG',
  'RH',
  'RM',
  'S',
  'SA',
  'SE',
  'SG',
  'SK',
  'SL',
  'SM',
  'SN',
  'SO',
  'SP',
  'SR',
  'SS',
  'ST',
  'SW',
  'SY',
  'TA',
  'TD',
  'TF',
  'TN',
  'TQ',
  'TR',
  'TS',
  'TW',
  'UB',
  'W',
  'WA',
  'WC',
  'WD',
  'WF',
  'WN',
  'WR',
  'WS',
  'WV',
  'YO',
];
/** London's central districts carry a letter (EC1A, SW1A, W1D). */
const LETTERED_DISTRICT_AREAS = new Set(['EC', 'WC', 'SW', 'W', 'E', 'N', 'NW', 'SE']);
const DISTRICT_LETTERS = 'ABCDEFGHJKMNPRSTUVWXY';
/** Letters used in inward codes (never C, I, K, M, O, V). */
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

/**
 * How many places charge points can be at. The UK has about 1.7 million
 * postcodes; charge points cluster in a small share of them (car parks, service
 * stations, town centres), so sites draw from this pool with a strong skew.
 */
export const PLACE_POOL_SIZE = 25_000;
/** Exponent of the skew: pool index = size × u^SKEW, so low indices are far more popular. */
const POOL_SKEW = 3;
/** How many networks operate at one place. */
const NETWORKS_PER_PLACE = 2;

/** Where sites are: what kind of place it is and who runs chargers there are facts of the place. */
export interface Place {
  /** A valid postcode written canonically, "TW6 2RQ". */
  postcode: string;
  /** Index into LOCATION_TYPES. */
  locationType: number;
  /** Indices of the networks with sites here. */
  networks: number[];
}

/** A fixed pool of places; the same for every payload seed. */
export class PlacePool {
  private readonly places: Place[] = [];

  constructor(locationTypeWeights: readonly number[], networkCount: number, size = PLACE_POOL_SIZE) {
    const random = new Random(0x9057c0de);
    for (let k = 0; k < size; k++) {
      this.places.push({
        postcode: randomPostcode(random),
        locationType: random.weighted(locationTypeWeights),
        networks: Array.from({ length: NETWORKS_PER_PLACE }, () => random.int(networkCount)),
      });
    }
  }

  /** The place of a new site: popular ones are drawn far more often, so sites share postcodes. */
  draw(random: Random): Place {
    return this.places[Math.floor(this.places.length * random.float() ** POOL_SKEW)];
  }
}

function randomPostcode(random: Random): string {
  const area = random.pick(AREAS);
  let district = String(random.between(1, area.length === 1 ? 20 : 30));
  if (LETTERED_DISTRICT_AREAS.has(area) && district.length === 1 && random.chance(0.3))
    district += letterOf(DISTRICT_LETTERS, random);
  const inward = `${random.int(10)}${letterOf(INWARD_LETTERS, random)}${letterOf(INWARD_LETTERS, random)}`;
  return `${area}${district} ${inward}`;
}

function letterOf(letters: string, random: Random): string {
  return letters.charAt(random.int(letters.length));
}
