/**
 * One synthetic person: demographics, episodes, prescription segments, TOPs, drug tests,
 * risk events, naloxone supplies and supervised-consumption reviews, written as CSV lines
 * into a {@link Batch}.
 *
 * Everything is driven by a latent monthly state: whether the person uses illicit opioids
 * on top of the prescription that month (0 no, 1 some days, 2 more than 20 of 28 days).
 * Evidence dated in a month reports that month's state (TOP opiate days, drug-test
 * positives), dose adjustments follow it (increases while using, small reductions when
 * stable), so the MAT stage a classifier finds on a month end is the intended one.
 * A person's records depend only on (seed, index): each person has its own PRNG stream.
 */
import { csvText, yn, type Batch } from './csv';
import { addMonths, iso, type Day } from './days';
import { postcodeIn, type Service } from './geography';
import {
  BUPRENORPHINE_BASE,
  COMPRESS_INDUCTION_BEFORE_DAYS,
  DOSE_DYNAMICS,
  ENGAGEMENT,
  EVIDENCE_PREROLL_DAYS,
  EXIT_REASONS_LONG_TERM,
  EXIT_REASONS_NEW,
  EXIT_REASONS_NON_OPIATE,
  GAPS,
  MEDICATIONS,
  METHADONE_BASE,
  MONTHLY_INJECTION_BASE,
  NEW_RETAINED_START_MEAN_DAYS,
  OPTIMISATION_OFFSETS,
  PERSON_CLASSES,
  PRIOR_EPISODE_RATE,
  RAPID_SCREEN_SHARE,
  REDUCTION,
  RISK_HAZARDS,
  SC,
  STABLE_REDUCTION,
  USE_PERSISTENCE,
  USE_TREND,
  USE_TYPES,
  WEEKLY_BEFORE_MONTHLY,
  WEEKLY_INJECTION_BASE,
  type ExitReason,
  type Medication,
  type PersonClass,
  type UseType,
} from './model';
import { fictitiousNhsNumber, FICTITIOUS_NHS_CAPACITY } from './nhs';
import { Rng, streamSeed, weightTable, type WeightTable } from './prng';

/** Everything shared by all people of one dataset. */
export interface SimContext {
  seed: number;
  /** The last day of the data (the last month end). */
  endDay: Day;
  /** First day of the first reported month. */
  windowStart: Day;
  /** Evidence and dose dynamics are generated from here (120 days before the window). */
  historyStart: Day;
  /**
   * Risk events and naloxone supplies are generated from here (a year before the window),
   * so the risk profile's 12-month look-backs are filled from the first month.
   */
  riskFrom: Day;
  /** Month grid from the month of riskFrom to the month of endDay (the last ends on endDay). */
  monthStart: Int32Array;
  monthEnd: Int32Array;
  services: readonly Service[];
  serviceTable: WeightTable<Service>;
  cluster: { laCode: string; from: Day; to: Day };
}

/** What the generator reports about one person. */
export interface PersonOutcome {
  inMatAtEnd: boolean;
}

type Sex = 'M' | 'F' | 'X' | 'U';
const SEXES = weightTable<Sex>([['M', 0.7], ['F', 0.294], ['X', 0.003], ['U', 0.003]]);
const INJECTING_OPIATE = weightTable<string>([['C', 0.3], ['P', 0.4], ['N', 0.25], ['Z', 0.05]]);
const INJECTING_OTHER = weightTable<string>([['N', 0.84], ['P', 0.05], ['Z', 0.08], ['C', 0.03]]);
const HOUSING = weightTable<string>([['settled', 0.64], ['unsettled', 0.15], ['nfa', 0.07], ['street', 0.035], ['hmo', 0.085], ['', 0.02]]);
const SAMPLES = weightTable<string>([['oral_fluid', 0.55], ['urine', 0.4], ['blood', 0.02], ['hair', 0.03]]);
type Primary = 'alcohol' | 'crack' | 'cannabis' | 'amphetamine';
const NON_OPIATE_PRIMARY = weightTable<Primary>([['alcohol', 0.5], ['crack', 0.25], ['cannabis', 0.18], ['amphetamine', 0.07]]);
type ScDecision = 'supervised' | 'daily_pickup' | 'relaxed';
type Pickup = 'daily' | 'twice_weekly' | 'weekly' | 'fortnightly';
const RELAXED_PICKUP = weightTable<Pickup>([['twice_weekly', 0.3], ['weekly', 0.55], ['fortnightly', 0.15]]);
const NFO_DETAIL = [
  'Ambulance attended; naloxone given',
  'Found by partner; naloxone from kit',
  'A&E attendance after overdose',
  'Overdose at hostel; staff gave naloxone',
  'Self-reported overdose at keywork session',
];
const HOSPITAL_DETAIL = ['Discharged after abscess treatment', 'Discharged after chest infection', 'Discharged after DVT', 'Discharged after fall'];
const RISK_DETAIL: Readonly<Record<string, readonly string[]>> = {
  suicidal_ideation: ['Disclosed at keywork; crisis plan agreed', 'Reported by GP'],
  self_harm: ['Cutting; seen by crisis team', 'Overdose of prescribed medication, not opioid'],
  mental_health_crisis: ['Crisis team contact', 'Section 136 assessment'],
  bereavement: ['Death of partner', 'Death of parent', 'Death of a friend from overdose'],
  respiratory_disease: ['COPD diagnosed by GP', 'Asthma, uncontrolled', 'Smoking-related lung disease'],
  other: ['Domestic abuse disclosed', 'Safeguarding referral made'],
};

/** Per-person traits that colour TOPs and tests. */
interface Traits {
  useType: UseType;
  poor: boolean;
  crack: boolean;
  cannabis: boolean;
  drinker: boolean;
  heavyDrinker: boolean;
  benzo: boolean;
  gabapentinoid: boolean;
  smoker: number; // cigarettes per day, 0 = non-smoker
  worker: boolean;
  diverted: boolean;
  vulnerable: boolean;
  psych: number;
  phys: number;
  qol: number;
  primary: Primary | null;
}

interface Segment {
  med: Medication;
  dose: number;
  start: Day;
  supervised: boolean | null;
  pickup: Pickup | null;
  plan: boolean;
  plannedEnd: Day | null;
}

interface Plan {
  start: Day;
  plannedEnd: Day;
  stepDays: number;
}

interface Spell {
  epStart: Day;
  rxStart: Day;
  /** Last day covered; null = ongoing at the end date. */
  rxEnd: Day | null;
  epEnd: Day | null;
  exit: ExitReason | null;
  med: Medication;
  base: number;
  plan: Plan | null;
}

/** Generates one person into `out`. */
export class PersonSim {
  private readonly rng: Rng;
  private readonly num: string;
  private readonly id: string;
  private readonly service: Service;
  private readonly traits: Traits;
  private readonly use: Uint8Array;
  private readonly months: number;
  private readonly endDay: Day;
  private housing = '';
  private injecting = '';
  private inMatAtEnd = false;
  private prescriber = '';
  /** Release from prison before a re-presentation, written with the next episode. */
  private pendingRelease: Day | null = null;
  private n = { ep: 0, rx: 0, top: 0, test: 0, risk: 0, nx: 0, sc: 0 };

  constructor(
    private readonly ctx: SimContext,
    private readonly index: number,
    private readonly out: Batch,
  ) {
    this.rng = new Rng(streamSeed(ctx.seed, 'person', index));
    this.num = String(index + 1).padStart(7, '0');
    this.id = `P${this.num}`;
    this.service = this.rng.weighted(ctx.serviceTable);
    this.months = ctx.monthStart.length;
    this.endDay = ctx.endDay;
    this.use = new Uint8Array(this.months);
    this.traits = this.drawTraits();
  }

  /** Index of the person's local authority in the layout. */
  get laIndex(): number {
    return this.service.laIndex;
  }

  run(): PersonOutcome {
    const cls = this.rng.weighted(PERSON_CLASSES);
    this.writePerson(cls);
    this.drawUse();
    if (cls === 'nonOpiate') this.nonOpiate();
    else this.opiate(cls);
    return { inMatAtEnd: this.inMatAtEnd };
  }

  // ---------------------------------------------------------------------------------
  // Person row and traits
  // ---------------------------------------------------------------------------------

  private drawTraits(): Traits {
    const r = this.rng;
    const drinker = r.chance(0.38);
    return {
      useType: r.weighted(USE_TYPES),
      poor: r.chance(ENGAGEMENT.poorShare),
      crack: r.chance(0.45),
      cannabis: r.chance(0.3),
      drinker,
      heavyDrinker: drinker && r.chance(0.25),
      benzo: r.chance(0.14),
      gabapentinoid: r.chance(0.09),
      smoker: r.chance(0.85) ? r.int(5, 30) : 0,
      worker: r.chance(0.14),
      diverted: r.chance(0.035),
      vulnerable: r.chance(0.15),
      psych: r.int(6, 16),
      phys: r.int(6, 16),
      qol: r.int(6, 16),
      primary: null,
    };
  }

  private writePerson(cls: PersonClass): void {
    const r = this.rng;
    const opiate = cls !== 'nonOpiate';
    const sex = r.weighted(SEXES);
    const age = opiate ? r.normalClamped(44, 7.5, 24, 68) : r.normalClamped(41, 11, 19, 75);
    const dob = this.endDay - Math.floor(age * 365.25) - r.int(0, 364);
    this.injecting = r.weighted(opiate ? INJECTING_OPIATE : INJECTING_OTHER);
    this.housing = r.weighted(HOUSING);
    const nhs = r.chance(0.95) && this.index < FICTITIOUS_NHS_CAPACITY ? fictitiousNhsNumber(this.index) : '';
    const postcode = this.housing === 'nfa' || this.housing === 'street' ? (r.chance(0.5) ? postcodeIn(this.service.la, r) : '') : r.chance(0.97) ? postcodeIn(this.service.la, r) : '';
    const livesAlone = r.chance(0.03) ? '' : yn(r.chance(0.45));
    const consent = r.chance(0.02) ? '' : yn(r.chance(0.96));
    this.prescriber = this.pickPrescriber();
    this.out.people.push(
      `${this.id},${this.service.service_id},${iso(dob)},${sex},${nhs},${postcode},${this.injecting},${this.housing},${livesAlone},${consent}`,
    );
  }

  private pickPrescriber(): string {
    return `${this.service.service_id}-PR${String(this.rng.int(1, 6)).padStart(2, '0')}`;
  }

  // ---------------------------------------------------------------------------------
  // Latent on-top use, one value per grid month
  // ---------------------------------------------------------------------------------

  private drawUse(): void {
    const r = this.rng;
    const t = this.traits.useType;
    const last = Math.max(1, this.months - 1);
    let using = r.chance(t.pUse * (1 + USE_TREND));
    for (let k = 0; k < this.months; k++) {
      const p = Math.min(0.97, t.pUse * (1 + (USE_TREND * (last - k)) / last));
      if (k > 0) {
        const stay = p + USE_PERSISTENCE * (1 - p);
        const enter = p * (1 - USE_PERSISTENCE);
        using = r.chance(using ? stay : enter);
      }
      this.use[k] = using ? (r.chance(t.heavy) ? 2 : 1) : 0;
    }
  }

  /** Grid month of a day (clamped into the grid). */
  private monthIndex(day: Day): number {
    const ms = this.ctx.monthStart;
    if (day < (ms[0] ?? 0)) return 0;
    let lo = 0;
    let hi = ms.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((ms[mid] ?? 0) <= day) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private useOn(day: Day): number {
    return this.use[this.monthIndex(day)] ?? 0;
  }

  /** Force use at the start of treatment: people start OST because they use heroin. */
  private markStartUse(rxStart: Day): void {
    if (rxStart < (this.ctx.monthStart[0] ?? 0)) return;
    const k = this.monthIndex(rxStart);
    this.use[k] = 2;
    if (k + 1 < this.months && this.rng.chance(0.6)) this.use[k + 1] = Math.max(this.use[k + 1] ?? 0, 1);
  }

  // ---------------------------------------------------------------------------------
  // Opiate clients
  // ---------------------------------------------------------------------------------

  private opiate(cls: PersonClass): void {
    const r = this.rng;
    const { windowStart: w0, endDay: end } = this.ctx;
    const windowDays = end - w0 + 1;
    const spells: Spell[] = [];
    if (cls === 'retained' || cls === 'exitedLongTerm') {
      const rxStart = w0 - 30 - Math.floor(Math.min(4200, r.exponential(1300)));
      let rxEnd: Day | null = null;
      if (cls === 'exitedLongTerm') rxEnd = w0 + r.int(0, Math.max(0, windowDays - 2));
      spells.push(this.newSpell(rxStart, rxEnd, cls === 'exitedLongTerm' ? EXIT_REASONS_LONG_TERM : null));
    } else if (cls === 'newRetained') {
      let back = Math.floor(r.exponential(NEW_RETAINED_START_MEAN_DAYS));
      if (back >= windowDays) back = r.int(0, windowDays - 1);
      const rxStart = end - back;
      if (r.chance(PRIOR_EPISODE_RATE)) this.priorSpell(spells, rxStart);
      spells.push(this.newSpell(rxStart, null, null));
    } else {
      const rxStart = w0 + r.int(0, Math.max(0, windowDays - 15));
      let length = 14 + Math.floor(r.exponential(170));
      if (rxStart + length >= end) length = Math.floor((end - rxStart) * r.uniform(0.2, 0.95));
      spells.push(this.newSpell(rxStart, rxStart + Math.max(1, length), EXIT_REASONS_NEW));
    }
    for (const spell of spells) this.writeSpell(spell);
    const risk = RISK_HAZARDS.respiratoryDiseaseLifetime;
    if (r.chance(risk)) this.riskEvent(r.int(this.ctx.riskFrom, end), 'respiratory_disease');
  }

  /** An earlier, closed episode before a re-presentation at `nextStart`. */
  private priorSpell(spells: Spell[], nextStart: Day): void {
    const r = this.rng;
    // At least 45 days before: the discharge lag (≤ 28) and the next assessment (≤ 14) fit between.
    const end = nextStart - r.int(45, 400);
    const start = end - r.int(40, 700);
    const spell = this.newSpell(start, end, EXIT_REASONS_NEW);
    if (spell.exit === 'died' || spell.exit === 'planned') spell.exit = 'unplanned';
    spell.plan = null;
    spells.push(spell);
    if (spell.exit === 'prison') this.pendingRelease = nextStart - r.int(1, 10);
  }

  private newSpell(rxStart: Day, rxEnd: Day | null, exits: WeightTable<ExitReason> | null): Spell {
    const r = this.rng;
    const med = r.weighted(MEDICATIONS);
    const base = baseDose(med, r, this.traits.useType.baseDoseFactor);
    const exit = rxEnd === null || exits === null ? null : r.weighted(exits);
    const epStart = rxStart - r.int(0, 14);
    let epEnd: Day | null = null;
    if (rxEnd !== null) {
      const lag = exit === 'unplanned' ? r.int(7, 28) : exit === 'planned' ? r.int(0, 14) : r.int(0, 3);
      epEnd = Math.min(this.endDay, rxEnd + lag);
    }
    const spell: Spell = { epStart, rxStart, rxEnd, epEnd, exit, med, base, plan: null };
    const oral = med === 'methadone' || med === 'buprenorphine' || med === 'morphine_sr' || med === 'diamorphine';
    const maintStart = rxStart + 60;
    if (oral && rxEnd === null && this.endDay - maintStart > 30) {
      const x = r.float();
      if (x < REDUCTION.activeDetoxAtEnd) spell.plan = this.makePlan('detox', this.endDay, maintStart, true);
      else if (x < REDUCTION.activeDetoxAtEnd + REDUCTION.activeSlowAtEnd) spell.plan = this.makePlan('slow', this.endDay, maintStart, true);
    } else if (oral && rxEnd !== null && exit === 'planned' && r.chance(REDUCTION.plannedExitWithPlan)) {
      spell.plan = this.makePlan(r.chance(REDUCTION.detoxShare) ? 'detox' : 'slow', rxEnd, maintStart, false);
    }
    return spell;
  }

  /**
   * A reduction plan. `anchor` is the end date (active: the plan covers it and ends
   * later) or the last day of the prescription (completed: it ends the day before the
   * planned end). Null when it would start before maintenance.
   */
  private makePlan(kind: 'detox' | 'slow', anchor: Day, earliest: Day, active: boolean): Plan | null {
    const r = this.rng;
    let start: Day;
    let plannedEnd: Day;
    const length = kind === 'detox' ? r.int(28, 84) : r.int(120, 300);
    if (active) {
      start = anchor - r.int(0, length - 1);
      plannedEnd = start + length;
      if (plannedEnd <= anchor) plannedEnd = anchor + 1;
    } else {
      plannedEnd = anchor + 1;
      start = plannedEnd - length;
    }
    if (kind === 'detox' && plannedEnd > addMonths(start, 3)) plannedEnd = addMonths(start, 3);
    if (kind === 'slow' && plannedEnd <= addMonths(start, 3)) plannedEnd = addMonths(start, 3) + r.int(7, 60);
    if (start < earliest) return null;
    if (!active && plannedEnd !== anchor + 1) return null;
    if (active && plannedEnd <= anchor) return null;
    const stepDays = kind === 'detox' ? r.int(12, 16) : r.int(28, 42);
    return { start, plannedEnd, stepDays };
  }

  private writeSpell(spell: Spell): void {
    const r = this.rng;
    const end = this.endDay;
    this.markStartUse(spell.rxStart);
    if (spell.exit === 'unplanned' && spell.rxEnd !== null) {
      const k = this.monthIndex(spell.rxEnd);
      if (r.chance(0.6)) this.use[k] = 2;
    }
    // Episode.
    this.n.ep++;
    this.out.episodes.push(
      `EP${this.num}-${this.n.ep},${this.id},${iso(spell.epStart)},${spell.epEnd === null ? '' : iso(spell.epEnd)},${spell.exit ?? ''}`,
    );
    // Prescription segments.
    const segStats = this.prescriptions(spell);
    // Evidence, risk, naloxone.
    const until = spell.rxEnd ?? end;
    this.evidence(spell.epStart, spell.epEnd, spell.exit, spell, segStats.restarts);
    this.risks(spell.rxStart, until, spell);
    this.naloxone(spell.epStart, until, spell.rxStart < this.ctx.historyStart);
    if (this.pendingRelease !== null && this.pendingRelease > spell.epStart - 30 && this.pendingRelease <= end && spell.rxEnd === null) {
      this.riskEvent(this.pendingRelease, 'prison_release', 'Released from custody; continuity of care referral');
      this.pendingRelease = null;
    }
    // After the episode.
    if (spell.rxEnd !== null && spell.epEnd !== null) {
      if (spell.exit === 'prison' && this.pendingRelease === null && r.chance(0.7)) {
        const release = spell.rxEnd + r.int(21, 420);
        if (release <= end) this.riskEvent(release, 'prison_release', 'Released from custody; not re-engaged');
      } else if (spell.exit === 'planned' && r.chance(0.15)) {
        const discharge = spell.rxEnd + r.int(84, 180);
        if (discharge <= end) this.riskEvent(discharge, 'rehab_discharge', 'Completed residential rehabilitation');
      } else if (spell.exit === 'unplanned' && r.chance(0.06)) {
        const od = spell.rxEnd + r.int(5, 90);
        if (od <= end) this.riskEvent(od, 'non_fatal_overdose', r.pick(NFO_DETAIL));
      }
    }
  }

  // ---------------------------------------------------------------------------------
  // Prescription segments
  // ---------------------------------------------------------------------------------

  private prescriptions(spell: Spell): { restarts: Day[] } {
    const r = this.rng;
    const { historyStart, endDay: end } = this.ctx;
    const last = spell.rxEnd ?? end;
    const restarts: Day[] = [];
    const segs: { seg: Segment; end: Day | null }[] = [];
    const injectable = spell.med === 'buprenorphine_weekly_injection' || spell.med === 'buprenorphine_monthly_injection';
    const oralSc = spell.med === 'methadone' || spell.med === 'buprenorphine';
    let cur: Segment = {
      med: spell.med === 'buprenorphine_monthly_injection' ? 'buprenorphine_weekly_injection' : spell.med,
      dose: 0,
      start: spell.rxStart,
      supervised: true,
      pickup: injectable ? null : 'daily',
      plan: false,
      plannedEnd: null,
    };
    /** Apply a change on `day` (≥ cur.start); closes the running segment when anything differs. */
    const change = (day: Day, patch: Partial<Segment>): void => {
      if (day > last) return;
      const next: Segment = { ...cur, ...patch, start: day };
      if (
        next.med === cur.med && next.dose === cur.dose && next.supervised === cur.supervised &&
        next.pickup === cur.pickup && next.plan === cur.plan && next.plannedEnd === cur.plannedEnd
      ) return;
      if (day <= cur.start) {
        cur = { ...next, start: cur.start };
        return;
      }
      segs.push({ seg: cur, end: day - 1 });
      cur = next;
    };
    const gap = (from: Day, days: number, patch: Partial<Segment>): void => {
      if (from <= cur.start) return;
      segs.push({ seg: cur, end: from - 1 });
      cur = { ...cur, ...patch, start: from + days };
    };

    // Induction.
    let day = spell.rxStart;
    let induction = titration(spell.med, spell.base, r);
    const longAgo = spell.rxStart < historyStart - COMPRESS_INDUCTION_BEFORE_DAYS;
    if (longAgo && induction.length > 2) {
      const first = induction[0];
      const final = induction[induction.length - 1];
      if (first && final) induction = [first, { ...final, day: 35, dose: this.settledDose(spell) }];
    }
    cur.dose = induction[0]?.dose ?? spell.base;
    for (let i = 1; i < induction.length; i++) {
      const step = induction[i];
      if (!step) continue;
      day = spell.rxStart + step.day;
      if (step.med) change(day, { dose: step.dose, med: step.med });
      else change(day, { dose: step.dose });
    }
    let dose = cur.dose;
    const inductionEnd = Math.max(day, spell.rxStart + 28);

    // Maintenance: monthly dose adjustments, SC reviews, gaps.
    const maintFrom = Math.max(inductionEnd + 1, historyStart);
    const maintTo = spell.plan ? spell.plan.start - 1 : last;
    if (oralSc && spell.rxStart < historyStart) {
      // Status on the window's first day of someone in treatment for a while.
      const initial = r.weighted(SC.initial);
      change(longAgo ? cur.start : Math.max(cur.start, Math.min(maintFrom, historyStart) - r.int(30, 400)), scPatch(initial, r));
    }
    const reviews = oralSc && r.chance(SC.reviewedShare) && !(this.traits.poor && r.chance(0.35)) ? this.scSchedule(spell, maintFrom) : [];
    let reviewIdx = 0;
    const { unit, floor, ceiling } = DYNAMICS[spell.med];
    const upOffset = r.pick(OPTIMISATION_OFFSETS[spell.med]);
    let stableMonths = 0;
    // A detox started and abandoned (relapse; the dose goes back up): common, and keeps
    // MAT 4 present in every month, not only near the end.
    let abandoned: { start: Day; stop: Day } | null = null;
    if ((spell.med === 'methadone' || spell.med === 'buprenorphine') && r.chance(REDUCTION.abandonedDetox)) {
      const lo = Math.max(maintFrom + 30, this.ctx.windowStart - 60);
      const hi = maintTo - 120;
      if (hi > lo) {
        const start = r.int(lo, hi);
        abandoned = { start, stop: start + r.int(21, 56) };
      }
    }
    const k0 = this.monthIndex(maintFrom);
    for (let k = k0; k < this.months; k++) {
      const ms = Math.max(this.ctx.monthStart[k] ?? 0, maintFrom);
      const me = Math.min(this.ctx.monthEnd[k] ?? 0, maintTo);
      if (ms > me) {
        if ((this.ctx.monthStart[k] ?? 0) > maintTo) break;
        continue;
      }
      const u = this.use[k] ?? 0;
      // Prescribers respond to a pattern, not a single month: use in 2 of the last 3 months.
      const recentUse = (u > 0 ? 1 : 0) + ((this.use[k - 1] ?? 0) > 0 ? 1 : 0) + ((this.use[k - 2] ?? 0) > 0 ? 1 : 0) >= 2;
      // SC reviews falling in this month.
      while (reviewIdx < reviews.length && (reviews[reviewIdx]?.day ?? Infinity) <= me) {
        const review = reviews[reviewIdx++];
        if (!review || review.day < ms) continue;
        this.writeScReview(review.day, review.nextDays, u, (decision) => {
          if (decision !== scDecisionOf(cur)) change(review.day, scPatch(decision, r));
        });
      }
      if (abandoned && abandoned.start >= ms && abandoned.start <= me) {
        const { start, stop } = abandoned;
        const plannedEnd = Math.min(addMonths(start, 3), start + r.int(42, 84));
        const stepDays = r.int(10, 14);
        const steps = Math.max(2, Math.floor((plannedEnd - start) / stepDays));
        const before = dose;
        for (let i = 0; i < steps; i++) {
          const stepDay = start + i * stepDays;
          if (stepDay > stop) break;
          change(stepDay, { dose: Math.max(1, roundDose(spell.med, (before * (steps - i)) / (steps + 0.5))), plan: true, plannedEnd });
        }
        change(stop + 1, { dose: before, plan: false, plannedEnd: null });
        const relapse = this.monthIndex(stop);
        if ((this.use[relapse] ?? 0) === 0) this.use[relapse] = 1;
        continue;
      }
      if (abandoned && me >= abandoned.start && ms <= abandoned.stop + 30) continue;
      // Dose adjustment towards the month's target.
      if (unit > 0) {
        stableMonths = u === 0 ? stableMonths + 1 : 0;
        let target = spell.base;
        if (recentUse) target += upOffset;
        else if (stableMonths >= DOSE_DYNAMICS.stableMonthsToReduce) target -= STABLE_REDUCTION[spell.med];
        target = Math.min(ceiling, Math.max(floor, target));
        let next = dose;
        if (dose < target && r.chance(DOSE_DYNAMICS.upTowardsTarget)) next = Math.min(target, dose + (target - dose >= 2 * unit && r.chance(0.5) ? 2 * unit : unit));
        else if (dose > target && r.chance(DOSE_DYNAMICS.downTowardsTarget)) next = Math.max(target, dose - unit);
        else if (r.chance(DOSE_DYNAMICS.drift)) next = dose + (r.chance(0.5) ? unit : -unit);
        next = Math.min(ceiling, Math.max(floor, next));
        if (next !== dose) {
          dose = next;
          change(r.int(ms, me), { dose });
        }
      } else if (injectable && r.chance(0.02)) {
        const strengths = cur.med === 'buprenorphine_monthly_injection' ? [64, 96, 128, 160] : [8, 16, 24, 32];
        const i = strengths.indexOf(dose);
        const j = u > 0 ? Math.min(strengths.length - 1, i + 1) : Math.max(0, i - 1);
        const next = strengths[j];
        if (next !== undefined && next !== dose) {
          dose = next;
          change(r.int(ms, me), { dose });
        }
      }
      // Gaps (not in the last five weeks: keeps the end-date picture intended).
      if (!injectable && me < end - 35 && me - ms > 12) {
        const g = r.float();
        if (g < GAPS.shortPerMonth) {
          gap(r.int(ms + 1, me - 8), r.int(1, 6), {});
        } else if (g < GAPS.shortPerMonth + GAPS.longPerMonth) {
          const from = r.int(ms + 1, me - 8);
          const days = r.int(9, 35);
          if (from + days + 40 < maintTo) {
            const restartDose = spell.med === 'methadone' ? Math.min(dose, 30) : spell.med === 'buprenorphine' ? Math.min(dose, 8) : dose;
            gap(from, days, { dose: restartDose, supervised: true, pickup: 'daily' });
            restarts.push(from + days);
            let d = restartDose;
            let t = from + days;
            while (d < dose) {
              t += r.int(4, 7);
              d = Math.min(dose, d + unit * 2);
              change(t, { dose: d });
            }
          }
        }
      }
    }
    // Reduction plan.
    if (spell.plan) {
      const plan = spell.plan;
      const steps = Math.max(2, Math.floor((plan.plannedEnd - plan.start) / plan.stepDays));
      const from = dose;
      for (let i = 0; i < steps; i++) {
        const stepDay = plan.start + i * plan.stepDays;
        if (stepDay > last || stepDay >= plan.plannedEnd) break;
        const level = roundDose(spell.med, (from * (steps - i)) / (steps + 0.5));
        change(stepDay, { dose: Math.max(1, level), plan: true, plannedEnd: plan.plannedEnd });
      }
    }
    // Close and write.
    segs.push({ seg: cur, end: spell.rxEnd });
    for (const { seg, end: segEnd } of segs) {
      if (segEnd !== null && segEnd < seg.start) continue;
      this.n.rx++;
      if (r.chance(0.01)) this.prescriber = this.pickPrescriber();
      const covers = seg.start <= end && (segEnd === null || segEnd >= end);
      if (covers) this.inMatAtEnd = true;
      this.out.prescriptions.push(
        `RX${this.num}-${String(this.n.rx).padStart(2, '0')},${this.id},${seg.med},${seg.dose},${iso(seg.start)},${segEnd === null ? '' : iso(segEnd)},${yn(seg.supervised)},${seg.pickup ?? ''},${seg.plan ? 'Y' : 'N'},${seg.plannedEnd === null ? '' : iso(seg.plannedEnd)},${this.prescriber}`,
      );
    }
    return { restarts };
  }

  /**
   * The dose a long-standing client is on when the data starts (the dynamics' stationary
   * picture): optimised while using, a little below the base after a stable spell.
   */
  private settledDose(spell: Spell): number {
    const { unit, floor, ceiling } = DYNAMICS[spell.med];
    if (unit === 0) return spell.base;
    const r = this.rng;
    let dose = spell.base;
    if ((this.use[this.monthIndex(this.ctx.historyStart)] ?? 0) > 0) dose += r.pick(OPTIMISATION_OFFSETS[spell.med]);
    else if (r.chance(0.4)) dose -= STABLE_REDUCTION[spell.med];
    return Math.min(ceiling, Math.max(floor, dose));
  }

  /** Dates of SC reviews for an oral episode, and the interval each one sets. */
  private scSchedule(spell: Spell, maintFrom: Day): { day: Day; nextDays: number }[] {
    const r = this.rng;
    const { historyStart } = this.ctx;
    const out: { day: Day; nextDays: number }[] = [];
    let day = spell.rxStart >= historyStart ? spell.rxStart + r.int(75, 120) : historyStart + r.int(0, 150);
    if (day < maintFrom) day = maintFrom + r.int(0, 20);
    const last = spell.plan ? spell.plan.start - 1 : (spell.rxEnd ?? this.endDay);
    while (day <= last) {
      const nextDays = r.chance(0.15) ? 91 : 182;
      out.push({ day, nextDays });
      day += nextDays + (this.traits.poor ? r.int(0, 120) : r.int(-7, 30));
    }
    return out;
  }

  private writeScReview(day: Day, nextDays: number, u: number, apply: (d: ScDecision) => void): void {
    const r = this.rng;
    const t = this.traits;
    const diverted = t.diverted && r.chance(0.7);
    const vulnerable = t.vulnerable;
    const onTop = u === 2;
    const other = r.chance(0.05);
    let decision: ScDecision;
    let rationale: string;
    if (diverted) {
      decision = 'supervised';
      rationale = 'Diversion this episode: remain supervised daily';
    } else if (onTop) {
      decision = r.chance(0.8) ? 'supervised' : 'daily_pickup';
      rationale = 'Regular on-top use: supervised while dose is optimised';
    } else if (vulnerable) {
      decision = r.chance(0.75) ? 'supervised' : 'daily_pickup';
      rationale = 'Vulnerable to exploitation: keep supervision, review safeguarding';
    } else if (other) {
      decision = 'daily_pickup';
      rationale = 'Other risk (children in the home, safe storage): daily pick-up';
    } else {
      const x = r.float();
      decision = x < 0.65 ? 'relaxed' : x < 0.87 ? 'daily_pickup' : 'supervised';
      rationale =
        decision === 'relaxed'
          ? 'No risk items; stable: relax pick-up'
          : decision === 'daily_pickup'
            ? 'No risk items; step down to daily unsupervised first'
            : 'No risk items but service user prefers supervision';
    }
    this.n.sc++;
    const next = decision === 'relaxed' ? nextDays : Math.min(nextDays, 91);
    this.out.sc_reviews.push(
      `SC${this.num}-${this.n.sc},${this.id},${iso(day)},${decision},${yn(diverted)},${yn(vulnerable)},${yn(onTop)},${yn(other)},${csvText(rationale)},${iso(day + next)}`,
    );
    apply(decision);
  }

  // ---------------------------------------------------------------------------------
  // Evidence
  // ---------------------------------------------------------------------------------

  /**
   * Evidence for one episode: the start TOP (and a baseline drug test when a
   * prescription starts), then keywork "visits" at intervals set by engagement, each a
   * TOP review when one is due (about 6-monthly) and otherwise usually a drug test; an
   * exit TOP for most planned exits. Long-standing episodes get one review TOP shortly
   * before the data starts instead of years of history.
   */
  private evidence(epStart: Day, epEnd: Day | null, exit: ExitReason | null, spell: Spell | null, restarts: readonly Day[]): void {
    const r = this.rng;
    const { windowStart, endDay: end } = this.ctx;
    const from = windowStart - EVIDENCE_PREROLL_DAYS;
    const last = epEnd ?? end;
    const opiate = spell !== null;
    const e = this.traits.poor ? ENGAGEMENT.poor : ENGAGEMENT.good;
    const startTop = epStart + r.int(0, 10);
    let lastTop = startTop;
    if (startTop <= last && r.chance(0.96)) this.writeTop(startTop, 'start', opiate, true);
    if (spell && spell.rxStart >= from - 30 && r.chance(0.8)) this.writeTest(spell.rxStart + r.int(0, 3), spell.med, true);
    if (spell) for (const restart of restarts) if (r.chance(0.7)) this.writeTest(restart + r.int(0, 3), spell.med, true);
    if (startTop < from - 200) {
      lastTop = from - r.int(0, 150);
      if (lastTop <= last) this.writeTop(lastTop, 'review', opiate, false);
    }
    const testChance = opiate ? e.testChance : this.traits.primary === 'alcohol' ? 0 : e.testChance * 0.3;
    const testUntil = spell ? (spell.rxEnd ?? end) : last;
    let topDue = r.int(e.topEvery[0], e.topEvery[1]);
    // Visits of an episode already running when the data starts are in mid-rhythm: the
    // first falls up to one interval before `from` and those before `from` are not written.
    let day = epStart + 25 >= from ? epStart + r.int(25, 60) : from - r.int(0, e.visitEvery[1]);
    const stop = exit !== null ? last - 10 : last;
    while (day <= stop) {
      if (day - lastTop >= topDue) {
        if (day >= from) this.writeTop(day, 'review', opiate, false);
        lastTop = day;
        topDue = r.int(e.topEvery[0], e.topEvery[1]);
      } else if (day <= testUntil && r.chance(testChance)) {
        if (day >= from) this.writeTest(day, spell ? spell.med : null, false);
      }
      day += r.int(e.visitEvery[0], e.visitEvery[1]);
    }
    if (epEnd !== null && exit !== null) {
      const p = exit === 'planned' ? 0.85 : exit === 'transferred' ? 0.5 : exit === 'unplanned' ? 0.12 : exit === 'prison' ? 0.1 : 0;
      if (r.chance(p)) this.writeTop(Math.min(end, epEnd), 'exit', opiate, false);
      if (exit === 'planned' && r.chance(0.2)) {
        const post = epEnd + r.int(150, 210);
        if (post <= end) this.writeTop(post, 'post_exit', opiate, false);
      }
    }
  }

  private writeTop(day: Day, stage: string, opiate: boolean, atStart: boolean): void {
    const r = this.rng;
    const t = this.traits;
    const u = atStart ? 2 : this.useOn(day);
    let opiateDays = 0;
    if (opiate) opiateDays = u === 0 ? 0 : u === 1 ? 1 + Math.floor(19 * r.float() ** 1.6) : r.chance(0.6) ? 28 : r.int(21, 27);
    const active = opiate ? u > 0 : u > 0 || atStart;
    const primary = t.primary;
    const crack = primary === 'crack' ? (active ? r.int(4, 28) : r.int(0, 3)) : t.crack ? (u > 0 ? r.int(1, 20) : r.chance(0.3) ? r.int(1, 6) : 0) : 0;
    const cocaine = r.chance(0.08) ? r.int(1, 8) : 0;
    const amph = primary === 'amphetamine' ? (active ? r.int(4, 24) : r.int(0, 3)) : r.chance(0.03) ? r.int(1, 5) : 0;
    const cannabis = primary === 'cannabis' ? (active ? r.int(14, 28) : r.int(0, 10)) : t.cannabis ? r.int(1, 28) : 0;
    const other = r.chance(0.05) ? r.int(1, 10) : 0;
    let alcoholDays = 0;
    if (primary === 'alcohol') alcoholDays = active ? r.int(12, 28) : r.int(0, 6);
    else if (t.drinker) alcoholDays = t.heavyDrinker ? r.int(12, 28) : r.int(1, 14);
    const units = alcoholDays === 0 ? '' : String(primary === 'alcohol' || t.heavyDrinker ? r.int(10, 40) : r.int(2, 12));
    const injecting = this.injecting === 'C' && opiateDays > 0 ? r.int(1, opiateDays) : 0;
    const sharing = injecting > 0 ? yn(r.chance(0.07)) : 'N';
    const shoplifting = active && r.chance(0.2) ? r.int(1, 15) : 0;
    const selling = r.chance(0.05) ? r.int(1, 10) : 0;
    const penalty = active ? 3 : 0;
    const score = (base: number): string => (r.chance(0.02) ? '' : String(Math.max(0, Math.min(20, base - penalty + r.int(-2, 2)))));
    const work = t.worker && !active ? r.int(8, 22) : 0;
    const education = r.chance(0.03) ? r.int(1, 10) : 0;
    const acute = this.housing === 'nfa' || this.housing === 'street' ? 'Y' : yn(r.chance(0.03));
    this.n.top++;
    this.out.top.push(
      `TOP${this.num}-${this.n.top},${this.id},${iso(day)},${stage},${opiateDays},${crack},${cocaine},${amph},${cannabis},${other},${alcoholDays},${units},${t.smoker},${injecting},${sharing},${shoplifting},${selling},${yn(active && r.chance(0.08))},${yn(r.chance(0.03))},${score(t.psych)},${score(t.phys)},${score(t.qol)},${work},${education},${acute},${yn(r.chance(0.05))}`,
    );
  }

  private writeTest(day: Day, med: Medication | null, atStart: boolean, extra: { nitazene?: boolean } = {}): void {
    if (day > this.ctx.endDay) return;
    const r = this.rng;
    const t = this.traits;
    const u = atStart ? 2 : this.useOn(day);
    const using = med !== null ? u > 0 : false;
    this.n.test++;
    const id = `DT${this.num}-${this.n.test}`;
    const sample = r.weighted(SAMPLES);
    const prefix = `${id},${this.id},${iso(day)},`;
    const row = (substance: string, positive: boolean): void => {
      this.out.drug_tests.push(`${prefix}${substance},${positive ? 'positive' : 'negative'},${sample}`);
    };
    const morphineLicit = med === 'diamorphine' || med === 'morphine_sr';
    // A routine check is often a rapid opiate screen (one result); otherwise a lab panel.
    if (!atStart && extra.nitazene === undefined && !morphineLicit && r.chance(RAPID_SCREEN_SHARE)) {
      row('heroin_6mam', using && r.chance(0.92));
      if (using && r.chance(0.15)) row('morphine', true);
      return;
    }
    if (med === 'methadone') row('methadone', !atStart && r.chance(0.96));
    else if (med !== null && med.startsWith('buprenorphine')) row('buprenorphine', !atStart && r.chance(0.95));
    if (using) {
      const heroin = morphineLicit || r.chance(0.88);
      row('heroin_6mam', heroin);
      if (morphineLicit || !heroin || r.chance(0.2)) row('morphine', true);
      if (med === 'buprenorphine' && r.chance(0.05)) row('methadone', true);
    } else {
      row('heroin_6mam', false);
      if (morphineLicit) row('morphine', true);
      else if (r.chance(0.05)) row('morphine', false);
    }
    const crackNow = t.primary === 'crack' ? u > 0 || atStart : t.crack && (u > 0 ? r.chance(0.8) : r.chance(0.25));
    if (t.primary === 'crack' || atStart || r.chance(0.3)) row('cocaine', crackNow);
    if (atStart || r.chance(0.12)) row('benzodiazepine', t.benzo && r.chance(0.8));
    if (r.chance(0.03)) row('gabapentinoid', t.gabapentinoid);
    if (t.primary === 'cannabis' || r.chance(0.05)) row('cannabis', t.cannabis || t.primary === 'cannabis');
    if (t.primary === 'amphetamine') row('amphetamine', u > 0 || atStart);
    if (extra.nitazene !== undefined) {
      row('nitazene', extra.nitazene);
      row('fentanyl', false);
    } else if (r.chance(0.05)) {
      row('fentanyl', using && r.chance(0.05));
    }
    if (r.chance(0.01)) row('xylazine', false);
  }

  // ---------------------------------------------------------------------------------
  // Risk events and naloxone
  // ---------------------------------------------------------------------------------

  private riskEvent(day: Day, type: string, detail?: string): void {
    if (day > this.ctx.endDay) return;
    this.n.risk++;
    const text = detail ?? this.rng.pick(RISK_DETAIL[type] ?? ['']);
    this.out.risk_events.push(`RE${this.num}-${this.n.risk},${this.id},${iso(day)},${type},${csvText(text)}`);
  }

  private risks(from: Day, until: Day, spell: Spell | null): void {
    const r = this.rng;
    const { riskFrom, cluster } = this.ctx;
    const start = Math.max(from, riskFrom);
    if (start > until) return;
    const h = RISK_HAZARDS;
    for (let k = this.monthIndex(start); k < this.months; k++) {
      const ms = Math.max(start, this.ctx.monthStart[k] ?? 0);
      const me = Math.min(until, this.ctx.monthEnd[k] ?? 0);
      if (ms > me) break;
      const u = spell ? (this.use[k] ?? 0) : 0;
      const nfo = h.nonFatalOverdose[u] ?? 0;
      if (r.chance(spell ? nfo : nfo / 3)) {
        const day = r.int(ms, me);
        this.riskEvent(day, 'non_fatal_overdose', r.pick(NFO_DETAIL));
        if (spell && r.chance(0.6)) this.supply(day + r.int(1, 14), 'service_user', 'replacement_used');
        if (spell && r.chance(0.4)) this.writeTest(day + r.int(1, 7), spell.med, false);
      }
      if (r.chance(h.hospitalDischarge)) this.riskEvent(r.int(ms, me), 'hospital_discharge', r.pick(HOSPITAL_DETAIL));
      if (r.chance(h.suicidalIdeation)) this.riskEvent(r.int(ms, me), 'suicidal_ideation');
      if (r.chance(h.selfHarm)) this.riskEvent(r.int(ms, me), 'self_harm');
      if (r.chance(h.mentalHealthCrisis)) this.riskEvent(r.int(ms, me), 'mental_health_crisis');
      if (r.chance(h.bereavement)) this.riskEvent(r.int(ms, me), 'bereavement');
      if (r.chance(h.other)) this.riskEvent(r.int(ms, me), 'other');
    }
    // The nitazene cluster: people in the area who are using then.
    if (spell && this.service.la.code === cluster.laCode && spell.rxStart <= cluster.from && until >= cluster.to) {
      const u = this.useOn(cluster.to);
      if (u > 0 && r.chance(0.14)) {
        const day = r.int(cluster.from, cluster.to);
        this.riskEvent(day, 'non_fatal_overdose', 'Suspected synthetic opioid; needed 3 doses of naloxone');
        this.supply(day + r.int(1, 5), 'service_user', 'replacement_used');
        if (day + 2 <= until) this.writeTest(day + r.int(1, 4), spell.med, false, { nitazene: r.chance(0.7) });
      }
    }
  }

  private supply(day: Day, recipient: string, reason: string): void {
    if (day > this.ctx.endDay) return;
    this.n.nx++;
    const product = this.rng.chance(0.6) ? 'nasal' : 'intramuscular';
    this.out.naloxone.push(`NX${this.num}-${this.n.nx},${iso(day)},${product},${this.id},${recipient},${reason},${this.service.la.code}`);
  }

  private naloxone(epStart: Day, until: Day, longTerm: boolean): void {
    const r = this.rng;
    const { riskFrom } = this.ctx;
    if (!longTerm && epStart >= riskFrom) {
      if (r.chance(0.65)) this.supply(epStart + r.int(0, 28), 'service_user', 'new');
    }
    // Yearly kit checks: expired or lost kits replaced.
    for (let y = Math.max(epStart, riskFrom); y <= until; y += 365) {
      const span = Math.min(365, until - y);
      if (span < 30) break;
      if (r.chance(0.45)) this.supply(y + r.int(0, span), 'service_user', longTerm && r.chance(0.4) ? 'new' : 'replacement_expired');
      if (r.chance(0.03)) this.supply(y + r.int(0, span), 'service_user', 'replacement_lost');
    }
    const first = Math.max(epStart, riskFrom);
    if (r.chance(0.07)) this.supply(first + r.int(0, Math.max(0, until - first)), r.chance(0.7) ? 'family' : 'friend', 'new');
  }

  // ---------------------------------------------------------------------------------
  // Non-opiate clients
  // ---------------------------------------------------------------------------------

  private nonOpiate(): void {
    const r = this.rng;
    const { windowStart: w0, endDay: end } = this.ctx;
    this.traits.primary = r.weighted(NON_OPIATE_PRIMARY);
    const start = r.chance(0.35) ? w0 - r.int(30, 700) : r.int(w0, end - 5);
    let epEnd: Day | null = null;
    let exit: ExitReason | null = null;
    if (r.chance(0.6)) {
      const candidate = start + r.int(60, 420);
      if (candidate < end) {
        epEnd = candidate;
        exit = r.weighted(EXIT_REASONS_NON_OPIATE);
      }
    }
    this.n.ep++;
    this.out.episodes.push(`EP${this.num}-${this.n.ep},${this.id},${iso(start)},${epEnd === null ? '' : iso(epEnd)},${exit ?? ''}`);
    this.evidence(start, epEnd, exit, null, []);
    const last = epEnd ?? end;
    this.risks(start, last, null);
    if (r.chance(0.05)) this.supply(Math.max(start, this.ctx.riskFrom) + r.int(0, 60), 'service_user', 'new');
  }
}

// -------------------------------------------------------------------------------------
// Doses
// -------------------------------------------------------------------------------------

/** A base (maintenance) dose; `factor` scales methadone (under-dosing goes with on-top use). */
function baseDose(med: Medication, r: Rng, factor: number): number {
  switch (med) {
    case 'methadone': {
      const mg = factor * METHADONE_BASE.medianMg * Math.exp(METHADONE_BASE.sdLog * r.normal());
      return Math.min(METHADONE_BASE.maxMg, Math.max(METHADONE_BASE.minMg, Math.round(mg / 5) * 5));
    }
    case 'buprenorphine':
      return r.weighted(BUPRENORPHINE_BASE);
    case 'buprenorphine_weekly_injection':
      return r.weighted(WEEKLY_INJECTION_BASE);
    case 'buprenorphine_monthly_injection':
      return r.weighted(MONTHLY_INJECTION_BASE);
    case 'diamorphine':
      return r.int(30, 90) * 10;
    case 'morphine_sr':
      return r.int(2, 8) * 100;
    case 'other':
      return r.pick([60, 90, 120, 180, 240]);
  }
}

function roundDose(med: Medication, mg: number): number {
  if (med === 'methadone') return mg > 10 ? Math.round(mg / 5) * 5 : Math.max(1, Math.round(mg));
  if (med === 'buprenorphine') return mg > 4 ? Math.round(mg / 2) * 2 : Math.max(1, Math.round(mg));
  return Math.max(1, Math.round(mg / 10) * 10);
}

/** The supervision category a segment is in. */
function scDecisionOf(seg: Segment): ScDecision {
  if (seg.supervised) return 'supervised';
  return seg.pickup === 'daily' ? 'daily_pickup' : 'relaxed';
}

function scPatch(decision: ScDecision, r: Rng): Partial<Segment> {
  if (decision === 'supervised') return { supervised: true, pickup: 'daily' };
  if (decision === 'daily_pickup') return { supervised: false, pickup: 'daily' };
  return { supervised: false, pickup: r.weighted(RELAXED_PICKUP) };
}

interface TitrationStep {
  /** Days after the prescription start. */
  day: number;
  dose: number;
  med?: Medication;
}

/**
 * Induction from a safe first dose up to the base dose: methadone 20–30 mg then +5/+10 mg
 * every 4–7 days (never more than 10 mg in a day or 30 mg in a week); sublingual
 * buprenorphine 2–8 mg then +2/+4 mg every 1–3 days; injections start weekly (a monthly
 * strength follows after 4–8 weeks); diamorphine and slow-release morphine in a few steps.
 */
function titration(med: Medication, base: number, r: Rng): TitrationStep[] {
  const steps: TitrationStep[] = [];
  switch (med) {
    case 'methadone': {
      let dose = Math.min(base, r.weighted(METHADONE_START));
      let day = 0;
      steps.push({ day, dose });
      while (dose < base) {
        day += r.int(4, 7);
        dose = Math.min(base, dose + (base - dose >= 10 && r.chance(0.6) ? 10 : 5));
        steps.push({ day, dose });
      }
      break;
    }
    case 'buprenorphine': {
      let dose = Math.min(base, r.pick([2, 4, 4, 4, 6, 8, 8]));
      let day = 0;
      steps.push({ day, dose });
      while (dose < base) {
        day += r.int(1, 3);
        dose = Math.min(base, dose + (r.chance(0.5) ? 4 : 2));
        steps.push({ day, dose });
      }
      break;
    }
    case 'buprenorphine_weekly_injection':
    case 'buprenorphine_monthly_injection': {
      const weeklyTarget = med === 'buprenorphine_weekly_injection' ? base : (WEEKLY_BEFORE_MONTHLY[base] ?? 24);
      let dose = Math.min(weeklyTarget, 16);
      let day = 0;
      steps.push({ day, dose, med: 'buprenorphine_weekly_injection' });
      while (dose < weeklyTarget) {
        day += 7;
        dose += 8;
        steps.push({ day, dose, med: 'buprenorphine_weekly_injection' });
      }
      if (med === 'buprenorphine_monthly_injection') {
        day = Math.max(day + 7, r.int(28, 56));
        steps.push({ day, dose: base, med });
      }
      break;
    }
    case 'diamorphine':
    case 'morphine_sr': {
      let dose = Math.min(base, med === 'diamorphine' ? 150 : 200);
      let day = 0;
      steps.push({ day, dose });
      while (dose < base) {
        day += r.int(2, 5);
        dose = Math.min(base, dose + (med === 'diamorphine' ? 100 : 100));
        steps.push({ day, dose });
      }
      break;
    }
    case 'other':
      steps.push({ day: 0, dose: base });
      break;
  }
  return steps;
}

/** Maintenance dose step and limits per medication (unit 0 = no monthly adjustments). */
const DYNAMICS: Readonly<Record<Medication, { unit: number; floor: number; ceiling: number }>> = {
  methadone: { unit: 5, floor: 10, ceiling: 200 },
  buprenorphine: { unit: 2, floor: 2, ceiling: 32 },
  buprenorphine_weekly_injection: { unit: 0, floor: 8, ceiling: 32 },
  buprenorphine_monthly_injection: { unit: 0, floor: 64, ceiling: 160 },
  diamorphine: { unit: 50, floor: 100, ceiling: 1200 },
  morphine_sr: { unit: 50, floor: 100, ceiling: 1200 },
  other: { unit: 0, floor: 0, ceiling: 0 },
};

const METHADONE_START = weightTable<number>([[20, 0.2], [25, 0.2], [30, 0.6]]);
