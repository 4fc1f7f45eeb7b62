import type { Db } from '../db/client.js';

/** The guardian registered with this number at this school (SMS phone or WhatsApp number). */
export function findGuardianByNumber(db: Db, schoolId: string, address: string) {
  return db.guardian.findFirst({
    where: { schoolId, OR: [{ phone: address }, { whatsapp: address }] },
    orderBy: { createdAt: 'asc' },
  });
}
