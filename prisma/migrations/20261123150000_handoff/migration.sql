-- AlterTable
ALTER TABLE "Message" ADD COLUMN "sourceBody" TEXT;
ALTER TABLE "Message" ADD COLUMN "staffId" TEXT;
ALTER TABLE "Message" ADD COLUMN "staffVia" TEXT;

-- CreateTable
CREATE TABLE "StaffSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "staffId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "StaffSession_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "schoolId" TEXT NOT NULL,
    "staffId" TEXT,
    "action" TEXT NOT NULL,
    "ticketId" TEXT,
    "detail" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AuditEvent_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StaffNotification" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "staffId" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME,
    CONSTRAINT "StaffNotification_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "StaffNotification_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TeamsCard" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ticketId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "activityId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TeamsCard_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TeamsCard_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_School" ("absenceCutoff", "address", "board", "childcareProvider", "city", "contactHours", "createdAt", "defaultLanguage", "email", "endTime", "guideUrl", "holidaysUrl", "id", "isDemo", "kind", "name", "parentContribution", "phone", "portalName", "portalUrl", "slug", "startTime", "timezone", "updatedAt", "website") SELECT "absenceCutoff", "address", "board", "childcareProvider", "city", "contactHours", "createdAt", "defaultLanguage", "email", "endTime", "guideUrl", "holidaysUrl", "id", "isDemo", "kind", "name", "parentContribution", "phone", "portalName", "portalUrl", "slug", "startTime", "timezone", "updatedAt", "website" FROM "School";
DROP TABLE "School";
ALTER TABLE "new_School" RENAME TO "School";
CREATE UNIQUE INDEX "School_slug_key" ON "School"("slug");
CREATE TABLE "new_Staff" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "schoolId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "languages" TEXT NOT NULL DEFAULT 'nl',
    "email" TEXT,
    "phone" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "passwordHash" TEXT,
    "notifyByEmail" BOOLEAN NOT NULL DEFAULT true,
    "teamsUserId" TEXT,
    "teamsReference" TEXT,
    "teamsLinkCode" TEXT,
    "teamsLinkExpires" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Staff_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Staff" ("active", "createdAt", "email", "id", "languages", "name", "phone", "role", "schoolId") SELECT "active", "createdAt", "email", "id", "languages", "name", "phone", "role", "schoolId" FROM "Staff";
DROP TABLE "Staff";
ALTER TABLE "new_Staff" RENAME TO "Staff";
CREATE INDEX "Staff_schoolId_role_idx" ON "Staff"("schoolId", "role");
CREATE UNIQUE INDEX "Staff_schoolId_email_key" ON "Staff"("schoolId", "email");
CREATE UNIQUE INDEX "Staff_teamsUserId_key" ON "Staff"("teamsUserId");
CREATE TABLE "new_Ticket" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "schoolId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "studentId" TEXT,
    "assigneeId" TEXT,
    "kind" TEXT NOT NULL,
    "topic" TEXT,
    "assignedBecause" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "language" TEXT NOT NULL,
    "dueAt" DATETIME,
    "heldAt" DATETIME,
    "firstReplyAt" DATETIME,
    "remindedAt" DATETIME,
    "escalation" INTEGER NOT NULL DEFAULT 0,
    "closedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    CONSTRAINT "Ticket_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Ticket_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Ticket_studentId_fkey" FOREIGN KEY ("studentId") REFERENCES "Student" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "Staff" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Ticket" ("assigneeId", "closedAt", "conversationId", "createdAt", "id", "kind", "language", "schoolId", "status", "studentId", "updatedAt") SELECT "assigneeId", "closedAt", "conversationId", "createdAt", "id", "kind", "language", "schoolId", "status", "studentId", "updatedAt" FROM "Ticket";
DROP TABLE "Ticket";
ALTER TABLE "new_Ticket" RENAME TO "Ticket";
CREATE INDEX "Ticket_schoolId_status_idx" ON "Ticket"("schoolId", "status");
CREATE INDEX "Ticket_conversationId_status_idx" ON "Ticket"("conversationId", "status");
CREATE INDEX "Ticket_status_dueAt_idx" ON "Ticket"("status", "dueAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "StaffSession_tokenHash_key" ON "StaffSession"("tokenHash");

-- CreateIndex
CREATE INDEX "StaffSession_staffId_idx" ON "StaffSession"("staffId");

-- CreateIndex
CREATE INDEX "AuditEvent_schoolId_createdAt_idx" ON "AuditEvent"("schoolId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_ticketId_idx" ON "AuditEvent"("ticketId");

-- CreateIndex
CREATE INDEX "StaffNotification_status_nextAttemptAt_idx" ON "StaffNotification"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "StaffNotification_ticketId_idx" ON "StaffNotification"("ticketId");

-- CreateIndex
CREATE UNIQUE INDEX "TeamsCard_ticketId_staffId_key" ON "TeamsCard"("ticketId", "staffId");

