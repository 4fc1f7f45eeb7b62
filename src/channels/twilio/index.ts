export { twilioRoutes, statusCallbackUrl } from './routes.js';
export { createTwilioSender } from './send.js';
export { TWILIO_ERRORS } from './errorCodes.js';
