-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "sendInDoubtSince" TIMESTAMP(3);

