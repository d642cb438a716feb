/**
 * LDIS partner reports (incidents.csv) and naloxone supplied to organisations.
 *
 * Per local authority and month: a baseline of drug-related deaths, overdoses, A&E
 * attendances, naloxone use by hostels/outreach/peers, drug-checking results, police
 * seizure tests, prison events and intelligence, with rates proportional to the size of
 * the treatment population there. Some events are reported by two partners (same event
 * date, age, sex and area, different source and received time) so linkage has work to
 * do. Each authority has a yearly drill (exercise = Y). One authority has a nitazene
 * cluster near the end: a fortnight of overdoses with synthetic opioid suspected, some
 * confirmed by toxicology, deaths, naloxone use and a nitazene-positive drug check.
 */
import { csvText, yn, type Batch } from './csv';
import { iso, type Day } from './days';
import { postcodeIn, type LocalAuthority } from './geography';
import { Rng, streamSeed, weightTable } from './prng';

export interface IncidentContext {
  seed: number;
  windowStart: Day;
  endDay: Day;
  monthStart: Int32Array;
  monthEnd: Int32Array;
  cluster: { laCode: string; from: Day; to: Day };
}

/** One partner report before it becomes a CSV line. */
interface Report {
  receivedDay: Day;
  receivedMinute: number;
  source: string;
  eventDay: Day;
  eventType: string;
  age: number | null;
  sex: string;
  postcode: string;
  hmo: boolean | null;
  street: boolean | null;
  classA: boolean | null;
  inTreatment: boolean | null;
  route: string;
  naloxoneDoses: number | null;
  synthetic: boolean | null;
  forensicNitazene: boolean | null;
  toxTested: boolean | null;
  toxPresent: boolean | null;
  toxNDesethyl: boolean | null;
  substances: string;
  outcome: string;
  locationType: string;
  notes: string;
  exercise: boolean;
}

/** Monthly rates per person in treatment in the authority. */
const RATES = {
  death: 0.0007,
  ambulance: 0.003,
  emergencyDepartment: 0.0015,
  naloxoneUse: 0.001,
  serviceOverdose: 0.0006,
};
/** Flat monthly means per authority. */
const FLAT = { drugCheck: 2, seizure: 0.6, prison: 0.5, intelligence: 0.3 };
const DUPLICATE_RATE = { ambulanceToEd: 0.3, deathPoliceAndCoroner: 0.5 };

const ROUTES = weightTable<string>([['injecting', 0.35], ['smoking', 0.3], ['oral_tablet', 0.1], ['snorting', 0.1], ['', 0.15]]);
const OVERDOSE_SUBSTANCES = weightTable<string>([
  ['heroin_6mam', 0.3], ['heroin_6mam;cocaine', 0.25], ['heroin_6mam;benzodiazepine', 0.1], ['methadone;benzodiazepine;alcohol', 0.08],
  ['cocaine;alcohol', 0.07], ['benzodiazepine;alcohol', 0.05], ['gabapentinoid;heroin_6mam', 0.05], ['', 0.1],
]);
const DRUG_CHECK_RESULTS = weightTable<string>([
  ['heroin_6mam', 0.35], ['cocaine', 0.25], ['heroin_6mam;xylazine', 0.03], ['benzodiazepine', 0.12], ['amphetamine', 0.1], ['other', 0.15],
]);
const LOCATIONS = weightTable<string>([['home', 0.45], ['street', 0.2], ['hostel', 0.15], ['public_toilet', 0.05], ['hmo', 0.1], ['other', 0.05]]);
const NALOXONE_SOURCES = weightTable<string>([['hostel', 0.35], ['outreach', 0.2], ['community', 0.25], ['treatment', 0.1], ['police', 0.1]]);
const SERVICE_OD_SOURCES = weightTable<string>([['treatment', 0.5], ['hostel', 0.25], ['outreach', 0.15], ['pharmacy', 0.1]]);

export interface IncidentCounts {
  incidents: number;
  organisationNaloxone: number;
}

/**
 * Writes every authority's reports into `out` (one authority at a time, sorted by
 * received time), then flushes through `flush` so memory stays bounded.
 */
export async function writeIncidents(
  ctx: IncidentContext,
  authorities: readonly LocalAuthority[],
  sizes: readonly number[],
  out: Batch,
  flush: () => Promise<void>,
): Promise<IncidentCounts> {
  let reportSeq = 0;
  let supplySeq = 0;
  for (let a = 0; a < authorities.length; a++) {
    const la = authorities[a];
    if (!la) continue;
    const size = sizes[a] ?? 0;
    const rng = new Rng(streamSeed(ctx.seed, `incidents:${la.code}`));
    const reports = laReports(ctx, la, size, rng);
    if (la.code === ctx.cluster.laCode) reports.push(...clusterReports(ctx, la, rng));
    reports.sort((x, y) => x.receivedDay - y.receivedDay || x.receivedMinute - y.receivedMinute);
    for (const report of reports) {
      if (report.receivedDay > ctx.endDay) continue; // not received yet on the extract date
      reportSeq++;
      out.incidents.push(reportLine(`LDIS${String(reportSeq).padStart(7, '0')}`, la, report));
    }
    // Naloxone to organisations (hostels, police custody, outreach teams) and professionals.
    for (let k = 0; k < ctx.monthStart.length; k++) {
      const ms = Math.max(ctx.windowStart, ctx.monthStart[k] ?? 0);
      const me = ctx.monthEnd[k] ?? 0;
      if (ms > me) continue;
      const n = rng.poisson(0.6 + size * 0.0004);
      for (let i = 0; i < n; i++) {
        supplySeq++;
        const recipient = rng.chance(0.6) ? 'organisation' : 'professional';
        const reason = rng.chance(0.6) ? 'new' : rng.chance(0.7) ? 'replacement_used' : 'replacement_expired';
        out.naloxone.push(
          `NXO${String(supplySeq).padStart(6, '0')},${iso(rng.int(ms, me))},${rng.chance(0.55) ? 'nasal' : 'intramuscular'},,${recipient},${reason},${la.code}`,
        );
      }
    }
    await flush();
  }
  return { incidents: reportSeq, organisationNaloxone: supplySeq };
}

function blank(eventDay: Day, source: string, eventType: string): Report {
  return {
    receivedDay: eventDay,
    receivedMinute: 0,
    source,
    eventDay,
    eventType,
    age: null,
    sex: '',
    postcode: '',
    hmo: null,
    street: null,
    classA: null,
    inTreatment: null,
    route: '',
    naloxoneDoses: null,
    synthetic: null,
    forensicNitazene: null,
    toxTested: null,
    toxPresent: null,
    toxNDesethyl: null,
    substances: '',
    outcome: '',
    locationType: '',
    notes: '',
    exercise: false,
  };
}

/** A person-level event (overdose, death, naloxone use) with the Op Mabble person fields. */
function personEvent(rng: Rng, la: LocalAuthority, day: Day, source: string, eventType: string): Report {
  const r = blank(day, source, eventType);
  r.age = rng.chance(0.06) ? null : Math.round(rng.normalClamped(41, 10, 16, 85));
  r.sex = rng.chance(0.02) ? 'U' : rng.chance(0.72) ? 'M' : 'F';
  r.postcode = rng.chance(0.7) ? postcodeIn(la, rng) : '';
  r.hmo = rng.chance(0.2) ? null : rng.chance(0.12);
  r.street = rng.chance(0.2) ? null : rng.chance(0.1);
  r.classA = rng.chance(0.2) ? null : rng.chance(0.85);
  r.inTreatment = rng.chance(0.25) ? null : rng.chance(0.45);
  r.route = rng.weighted(ROUTES);
  r.substances = rng.weighted(OVERDOSE_SUBSTANCES);
  r.synthetic = rng.chance(0.15) ? null : rng.chance(0.03);
  r.locationType = rng.weighted(LOCATIONS);
  return r;
}

function receive(r: Report, rng: Rng, minDelay: number, maxDelay: number): Report {
  r.receivedDay = r.eventDay + rng.int(minDelay, maxDelay);
  r.receivedMinute = rng.int(0, 1439);
  return r;
}

/** A second partner's report of the same event: same date, age, sex and area. */
function duplicateOf(original: Report, rng: Rng, source: string, eventType: string, minDelay: number, maxDelay: number): Report {
  const copy: Report = { ...original, source, eventType, notes: '' };
  copy.naloxoneDoses = null;
  copy.substances = rng.chance(0.5) ? original.substances : '';
  copy.route = rng.chance(0.6) ? original.route : '';
  if (rng.chance(0.3)) copy.postcode = '';
  return receive(copy, rng, minDelay, maxDelay);
}

function laReports(ctx: IncidentContext, la: LocalAuthority, size: number, rng: Rng): Report[] {
  const reports: Report[] = [];
  for (let k = 0; k < ctx.monthStart.length; k++) {
    const ms = Math.max(ctx.windowStart, ctx.monthStart[k] ?? 0);
    const me = ctx.monthEnd[k] ?? 0;
    if (ms > me) continue;
    const day = (): Day => rng.int(ms, me);
    // Deaths: police first, the coroner later (often both).
    for (let i = rng.poisson(size * RATES.death); i > 0; i--) {
      const policeFirst = rng.chance(0.7);
      const r = personEvent(rng, la, day(), policeFirst ? 'police' : 'coroner', 'death');
      r.outcome = 'died';
      r.naloxoneDoses = rng.chance(0.3) ? rng.int(1, 2) : 0;
      if (policeFirst) receive(r, rng, 0, 2);
      else {
        receive(r, rng, 14, 90);
        r.toxTested = rng.chance(0.4);
        if (r.toxTested) r.toxPresent = false;
      }
      reports.push(r);
      if (policeFirst && rng.chance(DUPLICATE_RATE.deathPoliceAndCoroner)) {
        const c = duplicateOf(r, rng, 'coroner', 'death', 21, 120);
        c.outcome = 'died';
        c.toxTested = rng.chance(0.5);
        if (c.toxTested) {
          c.toxPresent = false;
          c.toxNDesethyl = false;
        }
        reports.push(c);
      }
    }
    // Ambulance call-outs to overdoses, some also seen at A&E.
    for (let i = rng.poisson(size * RATES.ambulance); i > 0; i--) {
      const r = receive(personEvent(rng, la, day(), 'ambulance', 'ambulance_callout'), rng, 0, 1);
      r.naloxoneDoses = rng.int(0, 3);
      r.outcome = rng.weighted(AMBULANCE_OUTCOMES);
      reports.push(r);
      if (r.outcome === 'hospital' && rng.chance(DUPLICATE_RATE.ambulanceToEd)) {
        const ed = duplicateOf(r, rng, 'emergency_department', 'ae_attendance', 0, 3);
        ed.outcome = 'hospital';
        reports.push(ed);
      }
    }
    for (let i = rng.poisson(size * RATES.emergencyDepartment); i > 0; i--) {
      const r = receive(personEvent(rng, la, day(), 'emergency_department', 'ae_attendance'), rng, 0, 3);
      r.outcome = rng.chance(0.8) ? 'hospital' : 'unknown';
      reports.push(r);
    }
    for (let i = rng.poisson(size * RATES.naloxoneUse); i > 0; i--) {
      const r = receive(personEvent(rng, la, day(), rng.weighted(NALOXONE_SOURCES), 'naloxone_administration'), rng, 0, 4);
      r.naloxoneDoses = rng.int(1, 3);
      r.outcome = rng.weighted(AMBULANCE_OUTCOMES);
      reports.push(r);
    }
    for (let i = rng.poisson(size * RATES.serviceOverdose); i > 0; i--) {
      const r = receive(personEvent(rng, la, day(), rng.weighted(SERVICE_OD_SOURCES), 'non_fatal_overdose'), rng, 0, 7);
      r.inTreatment = r.source === 'treatment' ? true : r.inTreatment;
      r.outcome = rng.weighted(AMBULANCE_OUTCOMES);
      reports.push(r);
    }
    // Flat-rate partner reports.
    if (la.drugChecking) {
      for (let i = rng.poisson(FLAT.drugCheck); i > 0; i--) {
        const r = receive(blank(day(), 'drug_checking', 'drug_check_result'), rng, 1, 10);
        r.substances = rng.weighted(DRUG_CHECK_RESULTS);
        r.synthetic = false;
        r.notes = 'Sample checked at the drug-checking service';
        reports.push(r);
      }
    }
    for (let i = rng.poisson(FLAT.seizure); i > 0; i--) {
      const r = receive(blank(day(), 'police', 'seizure_test'), rng, 7, 45);
      r.substances = rng.weighted(DRUG_CHECK_RESULTS);
      r.forensicNitazene = false;
      reports.push(r);
    }
    for (let i = rng.poisson(FLAT.prison); i > 0; i--) {
      const r = receive(blank(day(), 'prison', 'prison_event'), rng, 0, 5);
      r.substances = rng.chance(0.5) ? 'other' : 'cannabis';
      r.notes = rng.chance(0.5) ? 'Drug find on wing' : 'Under-the-influence incident';
      reports.push(r);
    }
    for (let i = rng.poisson(FLAT.intelligence); i > 0; i--) {
      const r = receive(blank(day(), rng.chance(0.6) ? 'police' : 'outreach', 'intelligence'), rng, 0, 3);
      r.notes = rng.chance(0.5) ? 'Reports of strong batch in circulation' : 'New supply line reported';
      reports.push(r);
    }
  }
  // A yearly drill per authority.
  for (let d = ctx.windowStart + rng.int(60, 300); d <= ctx.endDay - 30; d += 365) {
    const r = receive(personEvent(rng, la, d, rng.chance(0.5) ? 'treatment' : 'other', 'non_fatal_overdose'), rng, 0, 0);
    r.synthetic = true;
    r.naloxoneDoses = 3;
    r.outcome = 'hospital';
    r.notes = 'EXERCISE: trial run of the synthetic opioid plan; not a real event';
    r.exercise = true;
    reports.push(r);
  }
  return reports;
}

const AMBULANCE_OUTCOMES = weightTable<string>([['hospital', 0.45], ['treated_at_scene', 0.38], ['no_treatment', 0.1], ['unknown', 0.07]]);

/** The nitazene cluster: a fortnight of synthetic-opioid harms in one authority. */
function clusterReports(ctx: IncidentContext, la: LocalAuthority, rng: Rng): Report[] {
  const { from, to } = ctx.cluster;
  const reports: Report[] = [];
  // Early days fewer, then a peak: day offset skewed towards the second week.
  const clusterDay = (): Day => Math.min(to, from + Math.floor((to - from + 1) * Math.sqrt(rng.float())));
  const suspected = (r: Report): Report => {
    r.synthetic = true;
    r.classA = true;
    r.substances = rng.chance(0.7) ? 'heroin_6mam' : 'heroin_6mam;cocaine';
    r.route = rng.chance(0.55) ? 'injecting' : 'smoking';
    return r;
  };
  for (let i = 0; i < 14; i++) {
    const r = suspected(receive(personEvent(rng, la, clusterDay(), 'ambulance', 'ambulance_callout'), rng, 0, 1));
    r.naloxoneDoses = rng.int(2, 5);
    r.outcome = rng.chance(0.7) ? 'hospital' : 'treated_at_scene';
    r.notes = 'Unusually prolonged sedation; multiple naloxone doses';
    reports.push(r);
    if (r.outcome === 'hospital' && rng.chance(0.55)) {
      const ed = duplicateOf(r, rng, 'emergency_department', 'ae_attendance', 0, 2);
      ed.synthetic = true;
      ed.outcome = 'hospital';
      ed.toxTested = rng.chance(0.8);
      if (ed.toxTested) {
        ed.toxPresent = rng.chance(0.6);
        ed.toxNDesethyl = ed.toxPresent && rng.chance(0.4);
        ed.substances = ed.toxPresent ? 'heroin_6mam;nitazene' : 'heroin_6mam';
      }
      reports.push(ed);
    }
  }
  for (let i = 0; i < 3; i++) {
    const r = suspected(receive(personEvent(rng, la, clusterDay(), 'police', 'death'), rng, 0, 1));
    r.outcome = 'died';
    r.naloxoneDoses = rng.int(0, 2);
    r.forensicNitazene = i === 0 ? true : null;
    r.notes = i === 0 ? 'Wraps at scene sent for forensic analysis: nitazene indicated' : 'Suspected drug-related death';
    reports.push(r);
    if (rng.chance(0.6)) {
      const c = duplicateOf(r, rng, 'coroner', 'death', 3, 10);
      c.synthetic = true;
      c.outcome = 'died';
      c.toxTested = true;
      c.toxPresent = i < 2;
      c.toxNDesethyl = i === 0;
      c.substances = c.toxPresent ? 'heroin_6mam;nitazene' : 'heroin_6mam';
      reports.push(c);
    }
  }
  for (let i = 0; i < 4; i++) {
    const r = suspected(receive(personEvent(rng, la, clusterDay(), rng.weighted(NALOXONE_SOURCES), 'naloxone_administration'), rng, 0, 2));
    r.naloxoneDoses = rng.int(2, 4);
    r.outcome = rng.chance(0.5) ? 'hospital' : 'treated_at_scene';
    reports.push(r);
  }
  const check = receive(blank(from + Math.floor((to - from) / 2), 'drug_checking', 'drug_check_result'), rng, 1, 3);
  check.synthetic = true;
  check.substances = 'heroin_6mam;nitazene';
  check.notes = 'Sample sold as heroin: nitazene detected (test strip, confirmed by laboratory)';
  reports.push(check);
  const seizure = receive(blank(to - 2, 'police', 'seizure_test'), rng, 1, 4);
  seizure.synthetic = true;
  seizure.forensicNitazene = true;
  seizure.substances = 'heroin_6mam;nitazene';
  seizure.notes = 'Forensic test of seized wraps';
  reports.push(seizure);
  const intel = receive(blank(from + 2, 'outreach', 'intelligence'), rng, 0, 1);
  intel.synthetic = true;
  intel.notes = 'Peers report a strong batch of brown causing quick overdoses';
  reports.push(intel);
  return reports;
}

function reportLine(id: string, la: LocalAuthority, r: Report): string {
  const hh = Math.floor(r.receivedMinute / 60);
  const mm = r.receivedMinute % 60;
  const received = `${iso(r.receivedDay)}T${hh < 10 ? '0' : ''}${hh}:${mm < 10 ? '0' : ''}${mm}:00Z`;
  return [
    id, received, r.source, iso(r.eventDay), r.eventType, la.code,
    r.age === null ? '' : String(r.age), r.sex, r.postcode, yn(r.hmo), yn(r.street), yn(r.classA), yn(r.inTreatment),
    r.route, r.naloxoneDoses === null ? '' : String(r.naloxoneDoses), yn(r.synthetic), yn(r.forensicNitazene),
    yn(r.toxTested), yn(r.toxPresent), yn(r.toxNDesethyl), r.substances, r.outcome, r.locationType, csvText(r.notes),
    r.exercise ? 'Y' : 'N',
  ].join(',');
}
