/**
 * The intent ids of the routing contract (../shared/domain/INTENTS.md). Tools and tests
 * outside this code refer to them, so each must keep an answer file; more may be added.
 */
export const CATALOGUE_INTENTS = [
  'enrollment.primary', 'enrollment.documents', 'enrollment.secondary', 'school_choice', 'school_advice',
  'school_types', 'transition.mbo', 'preschool', 'admission.rules', 'absence.how_to_report',
  'leave.request', 'leave.appointment', 'compulsory_education', 'lateness', 'truancy',
  'alerts.settings', 'school_hours', 'holidays', 'lunch_break', 'childcare',
  'parent_contribution', 'school_costs', 'school_guide', 'parent_portal', 'contact_person',
  'parent_meetings', 'report_card', 'homework.support', 'homework.place', 'dutch_course',
  'interpreter', 'parent_room', 'participation', 'complaints', 'bullying',
  'special_needs', 'privacy', 'divorced_parents', 'health', 'school_rules',
  'school_closure', 'bot.help', 'greeting',
] as const;

/** The fewest classifier examples per intent and language the knowledge base ships with. */
export const MIN_EXAMPLES_PER_LANGUAGE = 15;
