import type { Language } from './languages.js';

/**
 * How parents name each language, in any of our languages, normalised (lower case, no
 * diacritics). Used to understand "English please", "türkçe yaz", "بالعربية".
 */
export const LANGUAGE_NAMES: Record<Language, string[]> = {
  nl: ['nederlands', 'nederlandse', 'dutch', 'hollands', 'hollandaca', 'flemenkce', 'الهولندية', 'هولندي', 'هولندية', 'bl holandiya', 'holandiya', 'hollandiya', 'holandia', 'lhollandiya', 'bl hollandiya', 'niderlandzki', 'holenderski', 'po holendersku', 'po niderlandzku', 'нідерландська', 'нідерландською', 'голландська', 'голландською', 'neerlandais', 'hollandais', 'en neerlandais', 'neerlandes', 'holandes', 'en holandes'],
  en: ['engels', 'english', 'ingilizce', 'الانجليزية', 'الإنجليزية', 'انجليزي', 'انجليزية', 'bl ingliziya', 'ngliziya', 'nglizia', 'lingliziya', 'bl ngliziya', 'inglizi', 'angliyya', 'angielski', 'po angielsku', 'англійська', 'англійською', 'anglais', 'en anglais', 'ingles', 'en ingles'],
  tr: ['turks', 'turkse', 'turkish', 'turkce', 'turkiye', 'التركية', 'تركي', 'تركية', 'bt turkiya', 'turkiya', 'tourkiya', 'tterkiya', 'turecki', 'po turecku', 'турецька', 'турецькою', 'turc', 'en turc', 'turco', 'en turco'],
  ar: ['arabisch', 'arabische', 'arabic', 'arapca', 'العربية', 'عربي', 'عربية', 'بالعربية', 'بالعربي', 'العربيه', 'l3arbiya', 'bl3arbiya', 'b l3arbiya', 'arabiya', '3arbiya', '3arabiya', '3arbia', '3arabia', 'l3arabiya', 'bl3arabiya', '3arabi', 'al3arabiya', 'arbiya', 'darija', 'الدارجة', 'arabski', 'po arabsku', 'арабська', 'арабською', 'arabe', 'en arabe'],
  pl: ['pools', 'poolse', 'polish', 'lehce', 'البولندية', 'بولندي', 'polski', 'po polsku', 'polsku', 'польська', 'польською', 'polonais', 'en polonais', 'polaco', 'en polaco'],
  uk: ['oekraiens', 'oekraiense', 'ukrainian', 'ukraynaca', 'الأوكرانية', 'الاوكرانية', 'اوكراني', 'ukrainski', 'po ukrainsku', 'українська', 'українською', 'украинский', 'ukrainien', 'en ukrainien', 'ucraniano', 'en ucraniano'],
  fr: ['frans', 'franse', 'french', 'fransizca', 'الفرنسية', 'فرنسي', 'فرنسية', 'bl fransiya', 'fransiya', 'fransawiya', 'lfransawiya', 'bl fransawiya', 'fransawi', 'francais', 'en francais', 'francuski', 'po francusku', 'французька', 'французькою', 'frances', 'en frances'],
  es: ['spaans', 'spaanse', 'spanish', 'ispanyolca', 'الإسبانية', 'الاسبانية', 'اسباني', 'bl sbanyoliya', 'sbanyoliya', 'espanol', 'en espanol', 'castellano', 'hiszpanski', 'po hiszpansku', 'іспанська', 'іспанською', 'espagnol', 'en espagnol'],
};
