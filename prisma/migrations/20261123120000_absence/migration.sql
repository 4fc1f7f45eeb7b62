-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "pendingAbsence" TEXT;

-- AlterTable
ALTER TABLE "Message" ADD COLUMN "contentSid" TEXT;
ALTER TABLE "Message" ADD COLUMN "contentVariables" TEXT;

-- CreateTable
CREATE TABLE "Absence" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "schoolId" TEXT NOT NULL,
    "studentId" TEXT,
    "guardianId" TEXT,
    "conversationId" TEXT,
    "messageId" TEXT,
    "alertId" TEXT,
    "startDate" TEXT NOT NULL,
    "endDate" TEXT NOT NULL,
    "dayPart" TEXT NOT NULL DEFAULT 'whole',
    "time" TEXT,
    "reason" TEXT NOT NULL,
    "parentWords" TEXT NOT NULL,
    "verified" BOOLEAN NOT NULL DEFAULT true,
    "reportedName" TEXT,
    "reportedClass" TEXT,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "source" TEXT NOT NULL DEFAULT 'parent',
    "status" TEXT NOT NULL DEFAULT 'reported',
    "acknowledgedBy" TEXT,
    "acknowledgedAt" DATETIME,
    "correctedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Absence_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Absence_studentId_fkey" FOREIGN KEY ("studentId") REFERENCES "Student" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AbsenceAlert" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "schoolId" TEXT NOT NULL,
    "studentId" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AbsenceAlert_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AbsenceAlert_studentId_fkey" FOREIGN KEY ("studentId") REFERENCES "Student" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AlertDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "alertId" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "guardianId" TEXT,
    "conversationId" TEXT,
    "messageId" TEXT,
    "via" TEXT,
    "skippedReason" TEXT,
    "repliedAt" DATETIME,
    "replyMessageId" TEXT,
    "outcome" TEXT,
    CONSTRAINT "AlertDelivery_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "AbsenceAlert" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "schoolId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "ApiToken_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MessageTemplate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "schoolId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "contentSid" TEXT NOT NULL,
    CONSTRAINT "MessageTemplate_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Student" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "schoolId" TEXT NOT NULL,
    "externalId" TEXT,
    "classId" TEXT,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "nicknames" TEXT NOT NULL DEFAULT '',
    "birthDate" DATETIME,
    "phone" TEXT,
    "language" TEXT,
    "parentsMayBeInformed" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Student_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Student_classId_fkey" FOREIGN KEY ("classId") REFERENCES "SchoolClass" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Student" ("birthDate", "classId", "firstName", "id", "lastName", "schoolId") SELECT "birthDate", "classId", "firstName", "id", "lastName", "schoolId" FROM "Student";
DROP TABLE "Student";
ALTER TABLE "new_Student" RENAME TO "Student";
CREATE INDEX "Student_schoolId_idx" ON "Student"("schoolId");
CREATE UNIQUE INDEX "Student_schoolId_externalId_key" ON "Student"("schoolId", "externalId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Absence_schoolId_startDate_idx" ON "Absence"("schoolId", "startDate");

-- CreateIndex
CREATE INDEX "Absence_studentId_startDate_idx" ON "Absence"("studentId", "startDate");

-- CreateIndex
CREATE INDEX "AbsenceAlert_schoolId_date_idx" ON "AbsenceAlert"("schoolId", "date");

-- CreateIndex
CREATE UNIQUE INDEX "AbsenceAlert_studentId_date_key" ON "AbsenceAlert"("studentId", "date");

-- CreateIndex
CREATE INDEX "AlertDelivery_alertId_idx" ON "AlertDelivery"("alertId");

-- CreateIndex
CREATE INDEX "AlertDelivery_conversationId_repliedAt_idx" ON "AlertDelivery"("conversationId", "repliedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_schoolId_idx" ON "ApiToken"("schoolId");

-- CreateIndex
CREATE UNIQUE INDEX "MessageTemplate_schoolId_purpose_language_key" ON "MessageTemplate"("schoolId", "purpose", "language");

