import { HandoffError } from '../handoff/desk.js';

/** The desk's messages (English, for logs and Teams) in Dutch for the inbox. */
const DUTCH: [RegExp, string][] = [
  [/^no such ticket/, 'Deze vraag bestaat niet, of u kunt hem niet inzien.'],
  [/already closed/, 'Deze vraag is al afgesloten.'],
  [/sent STOP/, 'Deze ouder heeft STOP gestuurd en krijgt geen berichten. Bel de ouder.'],
  [/has no \w+ number/, 'De school heeft geen nummer om dit bericht vanaf te versturen.'],
  [/only the assignee/, 'Alleen wie de vraag heeft, de oudercontactfunctionaris of de directeur kan deze vraag doorsturen.'],
  [/no active colleague/, 'Kies een collega van deze school om naar door te sturen.'],
  [/write a reply or choose/, 'Schrijf een antwoord of kies een standaardantwoord.'],
  [/under 1400 characters/, 'Houd het antwoord korter dan 1400 tekens (ongeveer 9 sms-delen).'],
  [/unknown reply/, 'Dit standaardantwoord bestaat niet.'],
];

export function dutchMessage(err: HandoffError): string {
  return DUTCH.find(([re]) => re.test(err.message))?.[1] ?? err.message;
}

export { HandoffError };
