/**
 * The tests' one batch-means estimator: consecutive values are cut into `batches` batches of equal
 * size (a remainder past the last full batch is ignored) whose means are nearly independent when
 * batches are long against the correlation time (a queue's sojourns, a trajectory's legs), so
 * their spread gives the standard error of the grand mean. (bench/reference keeps its own
 * streaming BatchMeans: it runs without the test tree.)
 */
export function batchMeans(values: ArrayLike<number>, batches: number): { mean: number; se: number } {
  const size = Math.floor(values.length / batches);
  if (size < 1) throw new RangeError(`${values.length} values cannot make ${batches} batches`);
  const means = new Float64Array(batches);
  for (let b = 0; b < batches; b++) {
    let sum = 0;
    for (let i = b * size; i < (b + 1) * size; i++) sum += values[i];
    means[b] = sum / size;
  }
  return meanAndSe(means);
}

/** Grand mean and standard error of already formed batch means (n - 1 divisor). */
export function meanAndSe(means: ArrayLike<number>): { mean: number; se: number } {
  const n = means.length;
  let sum = 0;
  for (let b = 0; b < n; b++) sum += means[b];
  const mean = sum / n;
  let squares = 0;
  for (let b = 0; b < n; b++) squares += (means[b] - mean) ** 2;
  return { mean, se: Math.sqrt(squares / (n - 1) / n) };
}
