-- CreateTable
CREATE TABLE "DirectoryStat" (
    "hour" TIMESTAMP(3) NOT NULL,
    "configKey" TEXT NOT NULL,
    "successes" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "latency00" INTEGER NOT NULL DEFAULT 0,
    "latency01" INTEGER NOT NULL DEFAULT 0,
    "latency02" INTEGER NOT NULL DEFAULT 0,
    "latency03" INTEGER NOT NULL DEFAULT 0,
    "latency04" INTEGER NOT NULL DEFAULT 0,
    "latency05" INTEGER NOT NULL DEFAULT 0,
    "latency06" INTEGER NOT NULL DEFAULT 0,
    "latency07" INTEGER NOT NULL DEFAULT 0,
    "latency08" INTEGER NOT NULL DEFAULT 0,
    "latency09" INTEGER NOT NULL DEFAULT 0,
    "latency10" INTEGER NOT NULL DEFAULT 0,
    "latency11" INTEGER NOT NULL DEFAULT 0,
    "latency12" INTEGER NOT NULL DEFAULT 0,
    "latency13" INTEGER NOT NULL DEFAULT 0,
    "lastUrl" TEXT,
    "lastUrlAt" TIMESTAMP(3),
    "lastFailoverAt" TIMESTAMP(3),

    CONSTRAINT "DirectoryStat_pkey" PRIMARY KEY ("hour","configKey")
);

-- CreateIndex
CREATE INDEX "DirectoryStat_configKey_hour_idx" ON "DirectoryStat"("configKey", "hour");

