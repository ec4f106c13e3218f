import { inflateSync } from "node:zlib";

/*
 * Readers for the files the report writes, independent of the code that writes them: a PNG chunk
 * walker with its own CRC-32, and a small PDF reader (objects, Flate streams, the ToUnicode CMap).
 */

/** CRC-32 (ISO 3309, polynomial 0xEDB88320, as PNG spec annex D), bit by bit: no table shared with zlib. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export interface ReadChunk {
  type: string;
  data: Buffer;
  crcOk: boolean;
}

export function readPngChunks(png: Buffer): ReadChunk[] {
  const chunks: ReadChunk[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const typeAndData = png.subarray(at + 4, at + 8 + length);
    chunks.push({ type: typeAndData.toString("latin1", 0, 4), data: typeAndData.subarray(4), crcOk: crc32(typeAndData) === png.readUInt32BE(at + 8 + length) });
    at += 12 + length;
  }
  return chunks;
}

export interface PdfObject {
  id: number;
  dictionary: string;
  /** The stream's bytes, inflated when /FlateDecode. */
  stream?: Buffer;
}

/** Every `N 0 obj << ... >> [stream ... endstream]` of an uncompressed-xref PDF (what pdfkit writes). */
export function readPdfObjects(pdf: Buffer): PdfObject[] {
  const text = pdf.toString("latin1");
  const objects: PdfObject[] = [];
  const start = /(\d+) 0 obj\s*/g;
  for (let match = start.exec(text); match !== null; match = start.exec(text)) {
    const end = text.indexOf("endobj", match.index);
    const body = text.slice(match.index + match[0].length, end);
    const streamAt = body.indexOf("stream\n");
    const dictionary = streamAt < 0 ? body : body.slice(0, streamAt);
    let stream: Buffer | undefined;
    if (streamAt >= 0) {
      const from = match.index + match[0].length + streamAt + "stream\n".length;
      const length = Number(/\/Length (\d+)/.exec(dictionary)?.[1]);
      const raw = pdf.subarray(from, from + length);
      stream = dictionary.includes("/FlateDecode") ? inflateSync(raw) : raw;
    }
    objects.push({ id: Number(match[1]), dictionary, stream });
  }
  return objects;
}

/** Glyph code -> text from a ToUnicode CMap's bfchar and bfrange sections. */
export function readToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const utf16 = (hex: string): string => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => Number.parseInt(h, 16)));
  for (const section of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const pair of section[1].matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>/gi)) map.set(Number.parseInt(pair[1], 16), utf16(pair[2]));
  }
  for (const section of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const range of section[1].matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*(\[[^\]]*\]|<[0-9a-f]+>)/gi)) {
      const from = Number.parseInt(range[1], 16);
      const to = Number.parseInt(range[2], 16);
      if (range[3].startsWith("[")) {
        const targets = [...range[3].matchAll(/<([0-9a-f]+)>/gi)].map((m) => m[1]);
        for (let code = from; code <= to; code++) map.set(code, utf16(targets[code - from]));
      } else {
        const base = Number.parseInt(range[3].slice(1, -1), 16);
        for (let code = from; code <= to; code++) map.set(code, String.fromCharCode(base + code - from));
      }
    }
  }
  return map;
}

/** The text of each BT ... ET block of a content stream: its hex strings (Tj and TJ) decoded through the CMap, joined. */
export function readPdfText(content: string, toUnicode: Map<number, string>): string[] {
  const blocks: string[] = [];
  for (const block of content.matchAll(/\bBT\b([\s\S]*?)\bET\b/g)) {
    let text = "";
    for (const hex of block[1].matchAll(/<([0-9a-f]+)>/gi)) {
      for (const code of hex[1].match(/.{4}/g) ?? []) text += toUnicode.get(Number.parseInt(code, 16)) ?? "\ufffd";
    }
    blocks.push(text);
  }
  return blocks;
}
