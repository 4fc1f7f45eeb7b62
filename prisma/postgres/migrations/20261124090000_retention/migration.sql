-- AlterTable
ALTER TABLE "School" ADD COLUMN     "auditRetentionDays" INTEGER NOT NULL DEFAULT 730,
ADD COLUMN     "retentionDays" INTEGER NOT NULL DEFAULT 365;

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "purgedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "closedReason" TEXT;

-- CreateIndex
CREATE INDEX "Message_schoolId_createdAt_idx" ON "Message"("schoolId", "createdAt");

