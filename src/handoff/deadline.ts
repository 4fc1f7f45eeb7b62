import { addDays, addSchoolDays, localNow, type IsoDate } from '../absence/dates.js';

/** A promised answer is due at the end of the working day, local time. */
export const END_OF_WORKING_DAY = '17:00';
/** The assignee is reminded this long before the deadline. */
export const REMINDER_BEFORE_MS = 4 * 3_600_000;

/**
 * The instant a forwarded question must be answered by: the end of the working day,
 * `schoolDays` school days after the day it arrived (Monday + 2 = Wednesday 17:00;
 * Friday or Saturday + 2 = Tuesday). Holidays are not modelled yet (see README).
 */
export function replyDeadline(received: Date, schoolDays: number, timeZone: string): Date {
  const { date } = localNow(received, timeZone);
  return zonedInstant(addSchoolDays(addDays(date, 1), Math.max(1, schoolDays)), END_OF_WORKING_DAY, timeZone);
}

/** The day after `day` that is a school day, at the end of the working day: the second escalation. */
export function nextWorkingDayEnd(after: Date, timeZone: string): Date {
  const { date } = localNow(after, timeZone);
  return zonedInstant(addSchoolDays(addDays(date, 1), 1), END_OF_WORKING_DAY, timeZone);
}

/**
 * The UTC instant of a local wall-clock time in a time zone. Intl gives the zone's offset
 * at a guess; a second pass corrects the guess across a DST change.
 */
export function zonedInstant(day: IsoDate, time: string, timeZone: string): Date {
  const wall = Date.parse(`${day}T${time}:00Z`);
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = wall - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

function offsetMs(instant: Date, timeZone: string): number {
  const { date, time } = localNow(instant, timeZone);
  const seconds = instant.getUTCSeconds() * 1000 + instant.getUTCMilliseconds();
  return Date.parse(`${date}T${time}:00Z`) + seconds - instant.getTime();
}
