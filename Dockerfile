# polystack in a container: the npm package, installed as a user would, on Node 20.
# Build: docker build -t polystack .   Run: docker run -p 8080:8080 -v polystack-data:/data polystack
# Kept valid by test/ship/container.test.ts (images cannot be built in CI).

FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles its addon when no prebuilt one can be downloaded.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY bin ./bin
COPY scripts ./scripts
COPY specs ./specs
COPY src ./src
COPY tsconfig.json README.md ./
# npm pack runs prepack (the esbuild bundle); the image gets the tarball, as npm users do.
RUN npm pack --pack-destination /tmp \
 && mkdir -p /opt/polystack \
 && cd /opt/polystack \
 && npm install --omit=dev --no-audit --no-fund /tmp/polystack-cloud-*.tgz

FROM node:20-bookworm-slim
COPY --from=build /opt/polystack /opt/polystack
RUN ln -s /opt/polystack/node_modules/polystack-cloud/bin/polystack.js /usr/local/bin/polystack \
 && mkdir -p /data && chown node:node /data
ENV POLYSTACK_HOST=0.0.0.0 \
    POLYSTACK_PORT=8080 \
    POLYSTACK_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8080
USER node
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/_polystack/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["polystack"]
CMD ["serve"]
