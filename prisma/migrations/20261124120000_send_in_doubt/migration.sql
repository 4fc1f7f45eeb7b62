-- AlterTable
ALTER TABLE "Message" ADD COLUMN "sendInDoubtSince" DATETIME;

