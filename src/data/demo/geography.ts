/**
 * Places for the synthetic dataset: real English local authorities (ONS GSS codes), their
 * regions and a few real postcode districts in each, plus fictitious community services.
 *
 * Only the places are real. Service and organisation names are invented ("named like"
 * community drug and alcohol services, not any provider's), and postcodes use a real
 * district with a random inward code of valid format (digit + two letters from the
 * permitted set), so a postcode may or may not exist and is never tied to an address.
 * Analysis in Beacon happens at district level, which is where these are accurate.
 */
import type { Rng } from './prng';

export interface LocalAuthority {
  /** ONS GSS code, e.g. E06000008. */
  code: string;
  name: string;
  /** Short place name used in service names. */
  place: string;
  /** ONS region name. */
  region: string;
  /** Real postcode districts (outward codes) inside the authority. */
  districts: readonly string[];
  /** Has a drug-checking service that reports to the LDIS. */
  drugChecking: boolean;
}

const NW = 'North West';
const YH = 'Yorkshire and The Humber';
const NE = 'North East';
const WM = 'West Midlands';
const EM = 'East Midlands';
const SW = 'South West';
const LDN = 'London';
const SE = 'South East';

/**
 * The authorities, in the order they are used. The first three are the demo's (all in
 * the North West): Blackburn with Darwen, Blackpool and Liverpool. National-scale data
 * takes as many from the top of the list as it needs.
 */
export const LOCAL_AUTHORITIES: readonly LocalAuthority[] = [
  { code: 'E06000008', name: 'Blackburn with Darwen', place: 'Blackburn', region: NW, districts: ['BB1', 'BB2', 'BB3'], drugChecking: false },
  { code: 'E06000009', name: 'Blackpool', place: 'Blackpool', region: NW, districts: ['FY1', 'FY2', 'FY3', 'FY4'], drugChecking: true },
  { code: 'E08000012', name: 'Liverpool', place: 'Liverpool', region: NW, districts: ['L3', 'L4', 'L5', 'L6', 'L7', 'L8', 'L9', 'L11', 'L13', 'L15', 'L17', 'L24'], drugChecking: true },
  { code: 'E08000003', name: 'Manchester', place: 'Manchester', region: NW, districts: ['M1', 'M4', 'M8', 'M9', 'M11', 'M12', 'M13', 'M14', 'M15', 'M16', 'M19', 'M22', 'M23', 'M40'], drugChecking: true },
  { code: 'E08000006', name: 'Salford', place: 'Salford', region: NW, districts: ['M5', 'M6', 'M7', 'M27', 'M28', 'M30'], drugChecking: false },
  { code: 'E08000001', name: 'Bolton', place: 'Bolton', region: NW, districts: ['BL1', 'BL2', 'BL3', 'BL4'], drugChecking: false },
  { code: 'E08000004', name: 'Oldham', place: 'Oldham', region: NW, districts: ['OL1', 'OL4', 'OL8', 'OL9'], drugChecking: false },
  { code: 'E08000005', name: 'Rochdale', place: 'Rochdale', region: NW, districts: ['OL11', 'OL12', 'OL16'], drugChecking: false },
  { code: 'E08000007', name: 'Stockport', place: 'Stockport', region: NW, districts: ['SK1', 'SK2', 'SK3', 'SK4', 'SK5'], drugChecking: false },
  { code: 'E08000010', name: 'Wigan', place: 'Wigan', region: NW, districts: ['WN1', 'WN2', 'WN3', 'WN5'], drugChecking: false },
  { code: 'E08000011', name: 'Knowsley', place: 'Knowsley', region: NW, districts: ['L28', 'L34', 'L35', 'L36'], drugChecking: false },
  { code: 'E08000014', name: 'Sefton', place: 'Sefton', region: NW, districts: ['L20', 'L21', 'L30', 'PR8', 'PR9'], drugChecking: false },
  { code: 'E08000015', name: 'Wirral', place: 'Wirral', region: NW, districts: ['CH41', 'CH42', 'CH43', 'CH44', 'CH46', 'CH49'], drugChecking: false },
  { code: 'E08000013', name: 'St. Helens', place: 'St Helens', region: NW, districts: ['WA9', 'WA10', 'WA11'], drugChecking: false },
  { code: 'E06000007', name: 'Warrington', place: 'Warrington', region: NW, districts: ['WA1', 'WA2', 'WA4', 'WA5'], drugChecking: false },
  { code: 'E06000006', name: 'Halton', place: 'Halton', region: NW, districts: ['WA7', 'WA8'], drugChecking: false },
  { code: 'E08000002', name: 'Bury', place: 'Bury', region: NW, districts: ['BL8', 'BL9'], drugChecking: false },
  { code: 'E08000008', name: 'Tameside', place: 'Tameside', region: NW, districts: ['OL6', 'OL7', 'SK14', 'SK16'], drugChecking: false },
  { code: 'E08000009', name: 'Trafford', place: 'Trafford', region: NW, districts: ['M32', 'M33', 'M41', 'WA14'], drugChecking: false },
  { code: 'E08000019', name: 'Sheffield', place: 'Sheffield', region: YH, districts: ['S1', 'S2', 'S3', 'S5', 'S8', 'S9', 'S13'], drugChecking: true },
  { code: 'E08000016', name: 'Barnsley', place: 'Barnsley', region: YH, districts: ['S70', 'S71', 'S72', 'S75'], drugChecking: false },
  { code: 'E08000018', name: 'Rotherham', place: 'Rotherham', region: YH, districts: ['S60', 'S61', 'S65', 'S66'], drugChecking: false },
  { code: 'E08000017', name: 'Doncaster', place: 'Doncaster', region: YH, districts: ['DN1', 'DN2', 'DN4', 'DN5'], drugChecking: false },
  { code: 'E08000035', name: 'Leeds', place: 'Leeds', region: YH, districts: ['LS1', 'LS6', 'LS7', 'LS8', 'LS9', 'LS11', 'LS12'], drugChecking: true },
  { code: 'E08000032', name: 'Bradford', place: 'Bradford', region: YH, districts: ['BD1', 'BD3', 'BD4', 'BD5', 'BD7', 'BD8'], drugChecking: false },
  { code: 'E08000034', name: 'Kirklees', place: 'Kirklees', region: YH, districts: ['HD1', 'HD2', 'HD3', 'WF13'], drugChecking: false },
  { code: 'E08000033', name: 'Calderdale', place: 'Calderdale', region: YH, districts: ['HX1', 'HX2', 'HX3'], drugChecking: false },
  { code: 'E08000036', name: 'Wakefield', place: 'Wakefield', region: YH, districts: ['WF1', 'WF2', 'WF6', 'WF10'], drugChecking: false },
  { code: 'E06000010', name: 'Kingston upon Hull, City of', place: 'Hull', region: YH, districts: ['HU1', 'HU3', 'HU5', 'HU8', 'HU9'], drugChecking: false },
  { code: 'E08000021', name: 'Newcastle upon Tyne', place: 'Newcastle', region: NE, districts: ['NE1', 'NE4', 'NE5', 'NE6', 'NE15'], drugChecking: true },
  { code: 'E08000024', name: 'Sunderland', place: 'Sunderland', region: NE, districts: ['SR1', 'SR2', 'SR4', 'SR5'], drugChecking: false },
  { code: 'E08000037', name: 'Gateshead', place: 'Gateshead', region: NE, districts: ['NE8', 'NE9', 'NE10'], drugChecking: false },
  { code: 'E06000002', name: 'Middlesbrough', place: 'Middlesbrough', region: NE, districts: ['TS1', 'TS3', 'TS4', 'TS5'], drugChecking: false },
  { code: 'E06000001', name: 'Hartlepool', place: 'Hartlepool', region: NE, districts: ['TS24', 'TS25', 'TS26'], drugChecking: false },
  { code: 'E08000025', name: 'Birmingham', place: 'Birmingham', region: WM, districts: ['B5', 'B6', 'B8', 'B9', 'B10', 'B11', 'B12', 'B18', 'B21', 'B23', 'B29', 'B33'], drugChecking: true },
  { code: 'E08000026', name: 'Coventry', place: 'Coventry', region: WM, districts: ['CV1', 'CV2', 'CV3', 'CV6'], drugChecking: false },
  { code: 'E08000031', name: 'Wolverhampton', place: 'Wolverhampton', region: WM, districts: ['WV1', 'WV2', 'WV3', 'WV10', 'WV11'], drugChecking: false },
  { code: 'E08000030', name: 'Walsall', place: 'Walsall', region: WM, districts: ['WS1', 'WS2', 'WS3'], drugChecking: false },
  { code: 'E08000028', name: 'Sandwell', place: 'Sandwell', region: WM, districts: ['B66', 'B67', 'B69', 'B70', 'B71'], drugChecking: false },
  { code: 'E08000027', name: 'Dudley', place: 'Dudley', region: WM, districts: ['DY1', 'DY2', 'DY5'], drugChecking: false },
  { code: 'E06000021', name: 'Stoke-on-Trent', place: 'Stoke', region: WM, districts: ['ST1', 'ST2', 'ST3', 'ST4', 'ST6'], drugChecking: false },
  { code: 'E06000018', name: 'Nottingham', place: 'Nottingham', region: EM, districts: ['NG1', 'NG3', 'NG5', 'NG6', 'NG7', 'NG8'], drugChecking: false },
  { code: 'E06000016', name: 'Leicester', place: 'Leicester', region: EM, districts: ['LE1', 'LE2', 'LE3', 'LE4', 'LE5'], drugChecking: false },
  { code: 'E06000015', name: 'Derby', place: 'Derby', region: EM, districts: ['DE1', 'DE21', 'DE22', 'DE23', 'DE24'], drugChecking: false },
  { code: 'E06000023', name: 'Bristol, City of', place: 'Bristol', region: SW, districts: ['BS1', 'BS2', 'BS3', 'BS4', 'BS5', 'BS13'], drugChecking: true },
  { code: 'E06000026', name: 'Plymouth', place: 'Plymouth', region: SW, districts: ['PL1', 'PL2', 'PL4', 'PL5', 'PL6'], drugChecking: false },
  { code: 'E06000043', name: 'Brighton and Hove', place: 'Brighton', region: SE, districts: ['BN1', 'BN2', 'BN3', 'BN41'], drugChecking: true },
  { code: 'E06000045', name: 'Southampton', place: 'Southampton', region: SE, districts: ['SO14', 'SO15', 'SO16', 'SO17', 'SO19'], drugChecking: false },
  { code: 'E06000044', name: 'Portsmouth', place: 'Portsmouth', region: SE, districts: ['PO1', 'PO2', 'PO3', 'PO4'], drugChecking: false },
  { code: 'E09000007', name: 'Camden', place: 'Camden', region: LDN, districts: ['NW1', 'NW3', 'NW5', 'WC1'], drugChecking: true },
  { code: 'E09000012', name: 'Hackney', place: 'Hackney', region: LDN, districts: ['E2', 'E5', 'E8', 'E9', 'N16'], drugChecking: false },
  { code: 'E09000030', name: 'Tower Hamlets', place: 'Tower Hamlets', region: LDN, districts: ['E1', 'E3', 'E14'], drugChecking: false },
  { code: 'E09000022', name: 'Lambeth', place: 'Lambeth', region: LDN, districts: ['SE11', 'SW2', 'SW8', 'SW9'], drugChecking: false },
  { code: 'E09000028', name: 'Southwark', place: 'Southwark', region: LDN, districts: ['SE1', 'SE5', 'SE15', 'SE16'], drugChecking: false },
  { code: 'E09000019', name: 'Islington', place: 'Islington', region: LDN, districts: ['N1', 'N4', 'N5', 'N7', 'N19'], drugChecking: false },
];

/** Letters allowed in the two final positions of an inward code (not C, I, K, M, O, V). */
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

/** A postcode of valid format in one of the authority's real districts. */
export function postcodeIn(la: LocalAuthority, rng: Rng): string {
  const district = rng.pick(la.districts);
  const digit = rng.int(1, 9);
  const a = INWARD_LETTERS.charAt(rng.int(0, INWARD_LETTERS.length - 1));
  const b = INWARD_LETTERS.charAt(rng.int(0, INWARD_LETTERS.length - 1));
  return `${district} ${digit}${a}${b}`;
}

/** The outward code (district) of a postcode. */
export function districtOf(postcode: string): string {
  const space = postcode.indexOf(' ');
  return space < 0 ? postcode : postcode.slice(0, space);
}

export interface Service {
  service_id: string;
  name: string;
  organisation: string;
  la: LocalAuthority;
  /** Relative caseload size. */
  weight: number;
  /** Index of `la` in the list of authorities in use. */
  laIndex: number;
}

/** Fictitious organisations (invented names, not providers). */
const ORGANISATIONS = ['Northway Recovery Partnership', 'Harbourside Community Health CIC', 'Meridian Wellbeing Collective'];

const DEMO_SERVICE_NAMES: ReadonlyArray<readonly [laIndex: number, name: string, weight: number]> = [
  [0, 'Blackburn Recovery Hub', 1.2],
  [0, 'Darwen Community Recovery Service', 0.6],
  [1, 'Blackpool Central Recovery Service', 1.3],
  [1, 'Fylde Coast Harm Reduction Hub', 0.7],
  [2, 'Liverpool North Recovery Hub', 1.2],
  [2, 'Liverpool City Centre Recovery and Needle Exchange', 1.0],
  [2, 'Liverpool South Community Recovery Service', 0.9],
];

const SERVICE_SUFFIXES = [
  'Recovery Hub',
  'Community Recovery Service',
  'Harm Reduction and Recovery Centre',
  'Wellbeing and Recovery Service',
  'Recovery Point',
];

/** A layout of services over authorities. */
export interface Layout {
  authorities: LocalAuthority[];
  services: Service[];
}

/**
 * Services for a dataset of `people` people. Up to 10,000 people: the demo layout (seven
 * services in Blackburn with Darwen, Blackpool and Liverpool). Beyond: one service per
 * ~2,200 people (150 for 330,000), three per authority, taking authorities in list order
 * (wrapping round with more services per authority if the list runs out).
 */
export function layoutFor(people: number, rng: Rng): Layout {
  if (people <= 10_000) {
    const authorities = LOCAL_AUTHORITIES.slice(0, 3);
    const services = DEMO_SERVICE_NAMES.map(([laIndex, name, weight], i): Service => {
      const la = authorities[laIndex];
      if (!la) throw new Error('demo layout names an authority that is not listed');
      return { service_id: `SVC${String(i + 1).padStart(3, '0')}`, name, organisation: ORGANISATIONS[laIndex % 2] ?? '', la, weight, laIndex };
    });
    return { authorities, services };
  }
  const serviceCount = Math.min(150, Math.max(8, Math.round(people / 2_200)));
  const laCount = Math.min(LOCAL_AUTHORITIES.length, Math.ceil(serviceCount / 3));
  const authorities = LOCAL_AUTHORITIES.slice(0, laCount);
  const perLa = new Array<number>(laCount).fill(0);
  const services: Service[] = [];
  for (let i = 0; i < serviceCount; i++) {
    const laIndex = i % laCount;
    const la = authorities[laIndex];
    if (!la) throw new Error('unreachable');
    const n = perLa[laIndex] ?? 0;
    perLa[laIndex] = n + 1;
    const suffix = SERVICE_SUFFIXES[n % SERVICE_SUFFIXES.length] ?? 'Recovery Hub';
    const round = Math.floor(n / SERVICE_SUFFIXES.length);
    const name = `${la.place} ${suffix}${round > 0 ? ` ${round + 1}` : ''}`;
    services.push({
      service_id: `SVC${String(i + 1).padStart(3, '0')}`,
      name,
      organisation: ORGANISATIONS[laIndex % ORGANISATIONS.length] ?? '',
      la,
      weight: 0.6 + rng.float() * 0.9,
      laIndex,
    });
  }
  return { authorities, services };
}
