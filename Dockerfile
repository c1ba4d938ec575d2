# syntax=docker/dockerfile:1
# Clario's image: built with every dependency, run with the production ones only.
# test/deploy/image-steps.test.ts runs these same steps outside Docker (there is no daemon in CI),
# and test/deploy/compose.test.ts checks CMD and HEALTHCHECK against compose.yaml.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts here: `prepare` would build before the sources are copied in.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3001 \
    CLARIO_DATA_DIR=/home/node/clario
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would try to build with the dev dependencies this stage leaves out.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
COPY LICENSE README.md ./
# The files above stay root's; the process runs as node and writes only to its data directory.
USER node
EXPOSE 3001
# Slim images have no curl; node's fetch asks the probe every process answers without a token.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3001) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/cli/main.js", "serve"]
