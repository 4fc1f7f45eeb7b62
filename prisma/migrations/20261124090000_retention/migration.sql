-- AlterTable
ALTER TABLE "Message" ADD COLUMN "purgedAt" DATETIME;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "closedReason" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_School" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'Europe/Amsterdam',
    "defaultLanguage" TEXT NOT NULL DEFAULT 'nl',
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "phone" TEXT,
    "email" TEXT,
    "website" TEXT,
    "address" TEXT,
    "city" TEXT,
    "startTime" TEXT,
    "endTime" TEXT,
    "absenceCutoff" TEXT,
    "contactHours" TEXT,
    "guideUrl" TEXT,
    "portalName" TEXT,
    "portalUrl" TEXT,
    "holidaysUrl" TEXT,
    "parentContribution" TEXT,
    "childcareProvider" TEXT,
    "board" TEXT,
    "replyWithinDays" INTEGER NOT NULL DEFAULT 2,
    "retentionDays" INTEGER NOT NULL DEFAULT 365,
    "auditRetentionDays" INTEGER NOT NULL DEFAULT 730,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_School" ("absenceCutoff", "address", "board", "childcareProvider", "city", "contactHours", "createdAt", "defaultLanguage", "email", "endTime", "guideUrl", "holidaysUrl", "id", "isDemo", "kind", "name", "parentContribution", "phone", "portalName", "portalUrl", "replyWithinDays", "slug", "startTime", "timezone", "updatedAt", "website") SELECT "absenceCutoff", "address", "board", "childcareProvider", "city", "contactHours", "createdAt", "defaultLanguage", "email", "endTime", "guideUrl", "holidaysUrl", "id", "isDemo", "kind", "name", "parentContribution", "phone", "portalName", "portalUrl", "replyWithinDays", "slug", "startTime", "timezone", "updatedAt", "website" FROM "School";
DROP TABLE "School";
ALTER TABLE "new_School" RENAME TO "School";
CREATE UNIQUE INDEX "School_slug_key" ON "School"("slug");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Message_schoolId_createdAt_idx" ON "Message"("schoolId", "createdAt");

