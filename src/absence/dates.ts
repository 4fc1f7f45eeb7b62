/**
 * School-calendar arithmetic on plain dates ("2026-11-24"), which is what an absence is
 * about: a day at school in the school's time zone, not an instant.
 */
export type IsoDate = string;

const DAY_MS = 86_400_000;

export function toDate(iso: IsoDate): Date {
  return new Date(`${iso}T12:00:00Z`);
}

export function fromDate(d: Date): IsoDate {
  return d.toISOString().slice(0, 10);
}

export function addDays(iso: IsoDate, days: number): IsoDate {
  return fromDate(new Date(toDate(iso).getTime() + days * DAY_MS));
}

/** 0 = Monday ... 6 = Sunday. */
export function weekdayIndex(iso: IsoDate): number {
  return (toDate(iso).getUTCDay() + 6) % 7;
}

/** Weekends are not school days. Holidays differ per school and are not modelled yet. */
export function isSchoolDay(iso: IsoDate): boolean {
  return weekdayIndex(iso) < 5;
}

export function nextSchoolDay(iso: IsoDate, includeSelf = true): IsoDate {
  let d = includeSelf ? iso : addDays(iso, 1);
  while (!isSchoolDay(d)) d = addDays(d, 1);
  return d;
}

/** Adds school days: the 3rd school day from Friday is Wednesday. */
export function addSchoolDays(iso: IsoDate, count: number): IsoDate {
  let d = nextSchoolDay(iso);
  for (let i = 1; i < count; i++) d = nextSchoolDay(d, false);
  return d;
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toDate(to).getTime() - toDate(from).getTime()) / DAY_MS);
}

/** The school days from start to end inclusive. */
export function schoolDaysIn(start: IsoDate, end: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = start; d <= end; d = addDays(d, 1)) if (isSchoolDay(d)) out.push(d);
  return out;
}

/** The local date and time of an instant in a time zone. */
export function localNow(instant: Date, timeZone: string): { date: IsoDate; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(instant).map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** "dinsdag 24 november", "Tuesday 24 November", "24 Kasım Salı" ... as the language writes it. */
export function formatDay(iso: IsoDate, language: string): string {
  return new Intl.DateTimeFormat(language, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(toDate(iso));
}

export function isValidIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = toDate(value);
  return !Number.isNaN(d.getTime()) && fromDate(d) === value;
}
