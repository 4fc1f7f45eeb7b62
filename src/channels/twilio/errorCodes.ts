/**
 * Twilio error codes the outbox treats as permanent: retrying cannot help.
 * See https://www.twilio.com/docs/api/errors
 */
export const TWILIO_ERRORS = {
  /** 21211 Invalid 'To' phone number. See https://www.twilio.com/docs/api/errors/21211 */
  INVALID_TO_NUMBER: 21211,
  /** 21408 Permission to send an SMS has not been enabled for the region. See https://www.twilio.com/docs/api/errors/21408 */
  REGION_NOT_ENABLED: 21408,
  /** 21610 Attempt to send to unsubscribed recipient (they sent STOP). See https://www.twilio.com/docs/api/errors/21610 */
  UNSUBSCRIBED_RECIPIENT: 21610,
  /** 21612 The 'To' number is not reachable from this 'From' number. See https://www.twilio.com/docs/api/errors/21612 */
  UNREACHABLE_TO: 21612,
  /** 21614 'To' number is not a valid mobile number. See https://www.twilio.com/docs/api/errors/21614 */
  NOT_A_MOBILE: 21614,
  /** 63016 WhatsApp: outside the 24-hour window, a template is required. See https://www.twilio.com/docs/api/errors/63016 */
  WHATSAPP_OUTSIDE_WINDOW: 63016,
} as const;

/** HTTP statuses where trying again later can succeed. */
export function isRetryableHttpStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
