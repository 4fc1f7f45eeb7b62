import type { ReplyComposer } from '../conversation/replies.js';
import type { School } from '../generated/prisma/client.js';
import type { SchoolDetails } from '../knowledge/render.js';
import type { Language } from '../language/languages.js';
import { formatDay, type IsoDate } from './dates.js';

export interface AbsenceSummary {
  names: string[];
  start: IsoDate;
  end: IsoDate;
  dayPart: string;
  time: string | null;
  reason: string;
}

/** "Sami en Lina afwezig van maandag 23 november tot en met vrijdag 27 november, ziek". */
export function summarise(
  composer: ReplyComposer,
  ctx: { language: Language; school: School; details: SchoolDetails },
  s: AbsenceSummary,
): string {
  const t = (key: 'absence.when' | 'absence.summary', values: Record<string, string>) =>
    composer.text(key, ctx.language, ctx.school, ctx.details, values);
  const when = t('absence.when', {
    range: s.start === s.end ? 'no' : 'yes', start: formatDay(s.start, ctx.language), end: formatDay(s.end, ctx.language),
  });
  const children = s.names.length
    ? new Intl.ListFormat(ctx.language, { type: 'conjunction' }).format(s.names)
    : '?';
  return t('absence.summary', { children, when, part: s.dayPart, time: s.time ?? '', reason: s.reason });
}
