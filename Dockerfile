# syntax=docker/dockerfile:1
# Multi-stage build: compile TypeScript and native modules, then run as a non-root user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json ./
RUN npm ci --no-audit --no-fund
COPY src ./src
COPY tsconfig.build.json ./
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 DATABASE_URL=file:/data/ouderlijn.db SEED_DEMO=false
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json /app/prisma.config.ts ./
COPY prisma ./prisma
COPY intents ./intents
COPY locales ./locales
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# Apply migrations on start (SQLite through prisma migrate deploy, PostgreSQL through the
# app's runner, which takes an advisory lock so several instances can start at once), then serve.
# `exec`: node becomes PID 1, so docker stop's SIGTERM reaches it and the graceful shutdown
# runs (SHUTDOWN_GRACE_MS, default 10 s: give docker stop a longer timeout, e.g. -t 15).
CMD ["sh", "-c", "node dist/src/cli/migrate.js && exec node dist/src/main.js"]
