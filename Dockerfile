# Atrium production image: build with the full toolchain, run with production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages ./packages
COPY plugins ./plugins
RUN npm ci --no-audit --no-fund
COPY tsconfig*.json app-config.yaml ./
COPY scripts ./scripts
RUN node scripts/build.mjs --force && npm prune --omit=dev

FROM node:20-bookworm-slim
# git is used by git catalog locations and the scaffolder's publish:git.
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
COPY catalog-examples ./catalog-examples
COPY docs ./docs
COPY mkdocs.yml app-config.production.yaml ./
# /app stays root-owned and read-only for the server; everything it writes (caches, clones,
# published repositories) goes to the data directory, a volume owned by the node user.
RUN mkdir -p /data && chown node:node /data
ENV ATRIUM_DATA_DIR=/data
VOLUME /data
USER node
EXPOSE 7007
HEALTHCHECK --interval=15s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||7007)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "packages/cli/bin/atrium.js", "start", "--config", "app-config.production.yaml"]
