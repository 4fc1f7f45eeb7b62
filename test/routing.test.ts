import { beforeAll, describe, expect, it } from 'vitest';
import { EmergencyWords } from '../src/classification/emergencyWords.js';
import { arabicSkeleton, normalizeText } from '../src/classification/normalize.js';
import { sharedClassifier } from './helpers/runtime.js';

/**
 * Language detection and routing in all eight languages, on messages written for this
 * test (not copied from the training examples). The full measurement is `npm run eval`.
 */
const cases: [lang: string, text: string, route: string, intent?: string][] = [
  ['nl', 'Hoeveel is de vrijwillige ouderbijdrage dit jaar?', 'answer', 'parent_contribution'],
  ['nl', 'sami is ziek vandaag en blijft thuis', 'absence'],
  ['nl', 'Hoe gaat het met mijn dochter bij rekenen? Ze klaagt veel', 'forward'],
  ['nl', 'mijn zoon is niet thuisgekomen na school, ik kan hem nergens vinden', 'urgent'],
  ['en', 'How much is the voluntary parent contribution?', 'answer', 'parent_contribution'],
  ['en', 'Lily has a fever, she will stay home today', 'absence'],
  ['en', 'why did my son get detention yesterday', 'forward'],
  ['en', 'my daughter is missing, she never arrived at school', 'urgent'],
  ['tr', 'veli katkı payı ne kadar, ödemek zorunlu mu', 'answer', 'parent_contribution'],
  ['tr', 'oglum bugun hasta okula gelemiyor', 'absence'],
  ['tr', 'kızımın matematik notları neden düştü öğretmenle konuşmak istiyorum', 'forward'],
  ['tr', 'oğlum okuldan eve gelmedi, hiçbir yerde bulamıyorum', 'urgent'],
  ['ar', 'كم هي مساهمة الآباء الطوعية في المدرسة؟', 'answer', 'parent_contribution'],
  ['ar', 'ابني مريض اليوم ولن يأتي إلى المدرسة', 'absence'],
  ['ar', 'wldi mrid lyoum ma ghadich yji', 'absence'],
  ['ar', 'أريد أن أتكلم مع المعلمة عن نتائج ابنتي', 'forward'],
  ['ar', 'ابني لم يرجع من المدرسة ولا أجده', 'urgent'],
  ['pl', 'ile wynosi dobrowolna składka rodzicielska', 'answer', 'parent_contribution'],
  ['pl', 'Zofia jest dziś chora i zostaje w domu', 'absence'],
  ['pl', 'dlaczego mój syn dostał karę w szkole? chcę porozmawiać z nauczycielką', 'forward'],
  ['pl', 'moja córka zaginęła, nie dotarła do szkoły', 'urgent'],
  ['uk', 'Скільки коштує добровільний батьківський внесок?', 'answer', 'parent_contribution'],
  ['uk', 'Максим сьогодні хворий і не прийде до школи', 'absence'],
  ['uk', 'чому мій син отримав погану оцінку з математики? хочу поговорити з вчителькою', 'forward'],
  ['uk', 'мій син не повернувся зі школи, я не можу його знайти', 'urgent'],
  ['fr', 'Combien coûte la contribution volontaire des parents ?', 'answer', 'parent_contribution'],
  ['fr', 'Inès est malade aujourd’hui, elle reste à la maison', 'absence'],
  ['fr', 'pourquoi mon fils a eu une punition hier ? je veux parler au maître', 'forward'],
  ['fr', 'ma fille a disparu, elle n’est jamais arrivée à l’école', 'urgent'],
  ['es', '¿Cuánto es la contribución voluntaria de los padres?', 'answer', 'parent_contribution'],
  ['es', 'Mateo está enfermo hoy y se queda en casa', 'absence'],
  ['es', '¿por qué castigaron a mi hijo ayer? quiero hablar con la maestra', 'forward'],
  ['es', 'mi hija ha desaparecido, no llegó a la escuela', 'urgent'],
];

// Training happens once, in a hook with its own (longer) time limit, not inside a test.
beforeAll(async () => {
  await sharedClassifier();
});

describe.each(cases)('[%s] %s', (lang, text, route, intent) => {
  it(`is ${lang}, routed ${route}${intent ? ` (${intent})` : ''}`, async () => {
    const { classifier } = await sharedClassifier();
    const c = await classifier.classify(text);
    expect(c.language).toBe(lang);
    expect(c.route).toBe(route);
    expect(c.intent).toBe(intent ?? null);
    expect(c.confidence).toBeGreaterThanOrEqual(0);
    expect(c.confidence).toBeLessThanOrEqual(1);
  });
});

describe('keywords and language requests in every language', () => {
  it.each([
    ['STOP', 'optout'], ['stop', 'optout'], ['DUR', 'optout'], ['توقف', 'optout'], ['WYPISZ', 'optout'],
    ['СТОП', 'optout'], ['ARRÊT', 'optout'], ['arret', 'optout'], ['BAJA', 'optout'], ['UNSUBSCRIBE', 'optout'],
    ['START', 'optin'], ['BAŞLA', 'optin'], ['ابدأ', 'optin'], ['СТАРТ', 'optin'], ['INICIAR', 'optin'],
  ])('"%s" is %s', async (text, route) => {
    const { classifier } = await sharedClassifier();
    expect((await classifier.classify(text)).route).toBe(route);
  });

  it('does not treat STOP inside a sentence as an opt-out', async () => {
    const { classifier } = await sharedClassifier();
    expect((await classifier.classify('hoe stop ik het pesten in de klas')).route).not.toBe('optout');
  });

  it.each([
    ['Türkçe', 'tr'], ['English', 'en'], ['العربية', 'ar'], ['po polsku', 'pl'], ['українською', 'uk'],
    ['Français', 'fr'], ['español', 'es'], ['Nederlands', 'nl'],
  ])('"%s" switches to %s', async (text, lang) => {
    const { classifier } = await sharedClassifier();
    const c = await classifier.classify(text);
    expect(c.route).toBe('language');
    expect(c.requestedLanguage).toBe(lang);
  });

  it('forwards what it cannot understand instead of guessing', async () => {
    const { classifier } = await sharedClassifier();
    const c = await classifier.classify('qwxz blorp fnark');
    expect(c.route).toBe('forward');
    expect(c.intent).toBeNull();
  });

  it('is deterministic', async () => {
    const { classifier } = await sharedClassifier();
    const a = await classifier.classify('kan mijn kind overblijven op school');
    const b = await classifier.classify('kan mijn kind overblijven op school');
    expect(a).toEqual(b);
  });
});

describe('Moroccan Arabic in both scripts', () => {
  // What an Arabic-script example teaches must also count for the same word in Arabizi.
  it.each([
    ['المدرسة', 'lmadrasa'],
    ['المدرسة', 'lmdrsa'],
    ['مسدودة', 'msdouda'],
    ['واش', 'wach'],
    ['شكون', 'chkoun'],
    ['قاعة', '9a3a'],
    ['الخدمة', 'lkhedma'],
    ['صباح', 'sba7'],
  ])('%s and %s share a consonant skeleton', (arabic, arabizi) => {
    expect(arabicSkeleton(normalizeText(arabic))).toBe(arabicSkeleton(normalizeText(arabizi)));
  });

  it.each([
    ['المدرسة', 'lmaktaba'],
    ['مريض', 'mdrasa'],
    ['شكون', 'kifach'],
  ])('%s and %s stay apart', (a, b) => {
    expect(arabicSkeleton(normalizeText(a))).not.toBe(arabicSkeleton(normalizeText(b)));
  });
});

describe('emergency words make a message for a person urgent', () => {
  const words = new EmergencyWords({ nl: ['vermist', 'bewusteloos', 'mijn zoon is weg'], ar: ['الشرطة'], fr: ['inconscient'] });

  it.each([
    ['nl', 'Juf zegt: hij is BEWUSTELOOS geweest!', 'bewusteloos'],
    ['nl', 'help mijn zoon is weg sinds 3 uur', 'mijn zoon is weg'],
    ['ar', 'اتصلوا بالشرطة الآن', 'الشرطة'], // ب (with) written onto the word
    ['fr', 'il est inconscient', 'inconscient'],
  ] as const)('%s: "%s" holds "%s"', (language, text, word) => {
    expect(words.find(language, text)).toBe(word);
  });

  it.each([
    ['nl', 'mijn zoon is weggegaan bij de bso'], // a phrase only counts as whole words
    ['nl', 'is de jas vermistt'], // a whole word, not a part of one
    ['fr', 'mijn zoon is vermist'], // each language's own list: "vermist" is Dutch
    ['ar', 'شرطي'],
  ] as const)('%s: "%s" holds none', (language, text) => {
    expect(words.find(language, text)).toBeNull();
  });

  it.each([
    ['nl', 'juf zegt hij is bewusteloos geweest'],
    ['uk', 'дитина непритомна на перерві'],
  ])('%s: "%s" is urgent because of the word, where the models alone would make it a ticket', async (lang, text) => {
    const { classifier } = await sharedClassifier();
    const c = await classifier.classify(text);
    expect(c.route).toBe('urgent');
    expect(c.basis).toBe('emergency-word');
  });

  it('leaves a general question with such a word answered or forwarded, never made urgent by the word', async () => {
    const { classifier } = await sharedClassifier();
    const c = await classifier.classify('wat doet de school bij een ongeluk of noodgeval');
    expect(c.route).not.toBe('urgent');
  });
});
