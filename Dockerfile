# continuum-sim for cluster sweeps (Kubernetes, Slurm through Apptainer): the same image runs every
# shard and the merge (docs/cluster.md), e.g.
#   docker build -t registry.example.org/continuum-sim:0.1.0 .
#   docker run --rm -v "$PWD/out:/out" registry.example.org/continuum-sim:0.1.0 sweep sweeps/devices-vs-scheduler.json --shard 0/4 --out /out/shard-0
# The package sits at /app; it runs as the unprivileged user `node` (uid and gid 1000, as the
# Kubernetes manifests of `simulate sweep --emit k8s` expect), with python3 for external Python
# policies (clients/python). test/sweep/emit-dockerfile.test.ts checks these rules statically.

# Build stage: the dependencies first, so their layer is reused until package*.json change.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the package's `prepare` (the build) needs the sources, copied next; the one dependency install
# script (esbuild's) only checks its platform binary, which npm installs as an optional dependency.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle.mjs ./scripts/
COPY src ./src
# The build ends with a 1-second run of the testbed, which writes the CLI's code cache (scripts/bundle.mjs).
COPY hardware-profiles ./hardware-profiles
COPY scenarios/edge-ai-testbed.json ./scenarios/
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# Run stage: Node.js, python3, the built package and the folders sweeps and scenarios read.
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json ./
COPY clients ./clients
COPY examples ./examples
COPY hardware-profiles ./hardware-profiles
COPY scenarios ./scenarios
COPY schemas ./schemas
COPY sweeps ./sweeps
COPY traces ./traces
USER node
ENTRYPOINT ["node", "/app/dist/cli/bin.cjs"]
CMD ["--help"]
