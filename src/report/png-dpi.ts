import { crc32 } from "node:zlib";

/** Metres per inch: PNG's pHYs chunk counts pixels per metre (PNG spec 11.3.5.3). */
const METRES_PER_INCH = 0.0254;

/**
 * Writes `dpi` into a PNG as its pHYs chunk (pixels per metre, unit 1 = metre), placed right after
 * IHDR as the spec allows (before IDAT), replacing a pHYs the encoder may have written. resvg
 * writes none, so without it a 990 px figure opens at 72 or 96 dpi (13.75 in wide) in LaTeX,
 * Word and image viewers instead of 3.3 in.
 */
export function withPngDpi(png: Buffer, dpi: number): Buffer {
  const chunks = pngChunks(png);
  if (chunks[0]?.type !== "IHDR") throw new Error("not a PNG: the first chunk is not IHDR");
  const perMetre = Math.round(dpi / METRES_PER_INCH);
  const data = Buffer.alloc(9);
  data.writeUInt32BE(perMetre, 0);
  data.writeUInt32BE(perMetre, 4);
  data.writeUInt8(1, 8);
  const parts = [png.subarray(0, 8), png.subarray(chunks[0].start, chunks[0].end), pngChunk("pHYs", data)];
  for (const chunk of chunks.slice(1)) if (chunk.type !== "pHYs") parts.push(png.subarray(chunk.start, chunk.end));
  return Buffer.concat(parts);
}

/** One chunk of a PNG: its type and where it lies in the file (length, type, data and CRC). */
export interface PngChunk {
  type: string;
  start: number;
  end: number;
  data: Buffer;
  crc: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The chunks of a PNG in file order; throws on a file that is not a PNG or is cut short. */
export function pngChunks(png: Buffer): PngChunk[] {
  if (png.length < 8 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error("not a PNG: bad signature");
  const chunks: PngChunk[] = [];
  let at = 8;
  while (at < png.length) {
    if (at + 12 > png.length) throw new Error("PNG cut short in a chunk header");
    const length = png.readUInt32BE(at);
    const end = at + 12 + length;
    if (end > png.length) throw new Error("PNG cut short in a chunk");
    chunks.push({ type: png.toString("latin1", at + 4, at + 8), start: at, end, data: png.subarray(at + 8, at + 8 + length), crc: png.readUInt32BE(end - 4) });
    at = end;
  }
  return chunks;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, "latin1");
  data.copy(chunk, 8);
  // The CRC covers the type and the data, not the length (PNG spec 5.3).
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}
