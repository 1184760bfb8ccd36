# syntax=docker/dockerfile:1
# The uk-chargers worker (and its CLI): `docker build -t uk-chargers .`
# Debian, not Alpine: the Temporal SDK's native core ships for glibc only.
ARG NODE_IMAGE=node:20-bookworm-slim

# 1. Compile TypeScript and the scanner's WebAssembly, and pre-bundle the workflow code (dist/workflow-bundle.js).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No scripts yet: `prepare` compiles src/, which is copied below; `npm run build` compiles it.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# 2. Production dependencies only, installed apart so no build tool reaches the final image.
FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# No scripts: `prepare` compiles the scanner's WebAssembly, which comes from the build stage instead.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# 3. The runtime: compiled code, production node_modules, an unprivileged user.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The scanner's WebAssembly (build/ncrDevice.wasm), found two levels above dist/transform/.
COPY --from=build /app/build ./build
# package.json gives the version recorded in every manifest; assets holds the demo's sample;
# feeds holds the bundled feed catalogue, found two levels above dist/feeds/catalogue.js.
COPY package.json ./
COPY assets ./assets
COPY feeds ./feeds
USER node
# Prometheus metrics, when METRICS_PROMETHEUS_ADDRESS=0.0.0.0:9464.
EXPOSE 9464
# The worker drains in-flight activities on SIGTERM for WORKER_SHUTDOWN_GRACE_MS; give it that long to stop.
STOPSIGNAL SIGTERM
CMD ["node", "dist/worker.js"]
