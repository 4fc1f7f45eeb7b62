// Quick check for content writers: YAML parses, languages present, example counts,
// and SMS segments of each `text` with placeholders filled by typical demo values.
// The real validation is `npm run kb:check` (src/knowledge); this is a writer's aid.
const fs = require('node:fs');
const YAML = require('yaml');
const { SegmentedMessage } = require('sms-segments-calculator');
const LANGS = ['nl', 'en', 'tr', 'ar', 'pl', 'uk', 'fr', 'es'];
const demo = {
  'school.name': 'Basisschool De Regenboog', 'school.phone': '020 123 4567',
  'school.email': 'info@regenboog.example.nl', 'school.website': 'https://regenboog.example.nl',
  'school.address': 'Voorbeeldstraat 1, Amsterdam', 'school.city': 'Amsterdam',
  'school.startTime': '08:30', 'school.endTime': '14:30', 'school.absenceCutoff': '08:15',
  'school.contactHours': 'ma-vr 08:00-16:30', 'school.guideUrl': 'https://regenboog.example.nl/gids',
  'school.portalName': 'Parro', 'school.portalUrl': 'https://regenboog.example.nl/ouders',
  'school.holidaysUrl': 'https://regenboog.example.nl/vakanties', 'school.parentContribution': '€ 45',
  'school.childcareProvider': 'Kinderopvang Zonnestraal', 'school.board': 'Stichting Voorbeeldscholen',
  'school.parentContactName': 'Fatima El Amrani', 'school.directorName': 'Peter de Vries',
  'school.careCoordinatorName': 'Ingrid Bakker',
};
let bad = 0;
for (const file of process.argv.slice(2)) {
  let doc;
  try { doc = YAML.parse(fs.readFileSync(file, 'utf8')); } catch (e) { console.log(`${file}: YAML error: ${e.message}`); bad++; continue; }
  for (const lang of LANGS) {
    const ex = doc.examples?.[lang] ?? doc.keywords?.[lang];
    if (!Array.isArray(ex) || ex.length === 0) { console.log(`${file}: ${lang}: no examples/keywords`); bad++; }
    else if (doc.examples && ex.length < 15) { console.log(`${file}: ${lang}: only ${ex.length} examples (need >= 15)`); bad++; }
    if (doc.answer) {
      const a = doc.answer[lang];
      if (!a?.text) { console.log(`${file}: ${lang}: no answer.text`); bad++; continue; }
      const filled = a.text.replace(/\{([a-zA-Z.]+)\}/g, (m, k) => { if (!(k in demo)) { console.log(`${file}: ${lang}: unknown placeholder ${m}`); bad++; } return demo[k] ?? m; });
      const seg = new SegmentedMessage(filled);
      const flag = seg.segmentsCount > 3 ? '  <-- TOO LONG (max 3 segments)' : '';
      if (flag) bad++;
      console.log(`${file}: ${lang}: ${seg.encodingName} ${seg.segmentsCount} segment(s), ${filled.length} chars${flag}`);
    }
  }
}
process.exit(bad ? 1 : 0);
