/** A copy of `source` in a larger array (the growth step of every pooled typed-array structure). */
export function growFloat64(source: Float64Array, capacity: number): Float64Array {
  const grown = new Float64Array(capacity);
  grown.set(source);
  return grown;
}

export function growInt32(source: Int32Array, capacity: number): Int32Array {
  const grown = new Int32Array(capacity);
  grown.set(source);
  return grown;
}

export function growUint8(source: Uint8Array, capacity: number): Uint8Array {
  const grown = new Uint8Array(capacity);
  grown.set(source);
  return grown;
}
