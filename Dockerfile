# continuum-sim for cluster sweeps (Kubernetes Indexed Jobs, Slurm through Apptainer): the same
# image runs every shard, e.g.
#   docker build -t continuum-sim .
#   docker run --rm -v "$PWD/out:/out" continuum-sim sweep sweeps/devices-vs-scheduler.json --shard 0/4 --out /out/shard-0
FROM node:20-slim
WORKDIR /app
# Sources first: `npm ci` runs the `prepare` script, which compiles src/ into dist/.
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY hardware-profiles ./hardware-profiles
COPY scenarios ./scenarios
COPY schemas ./schemas
COPY sweeps ./sweeps
COPY traces ./traces
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force
ENTRYPOINT ["node", "/app/dist/cli/bin.js"]
CMD ["--help"]
