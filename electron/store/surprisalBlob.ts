/** Stored precision: thousandths of a nat, in an unsigned 16-bit integer. */
const SCALE = 1000;
const MAX = 0xffff;

/** Surprisal values as little-endian uint16 thousandths of a nat; out-of-range values are clamped (≤ 65.535 nats). */
export function encodeSurprisal(values: readonly number[]): Buffer {
  const buffer = Buffer.alloc(values.length * 2);
  values.forEach((value, i) => {
    const scaled = Number.isFinite(value) ? Math.round(value * SCALE) : MAX;
    buffer.writeUInt16LE(Math.min(MAX, Math.max(0, scaled)), i * 2);
  });
  return buffer;
}

export function decodeSurprisal(blob: Uint8Array): number[] {
  const buffer = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const values: number[] = [];
  for (let offset = 0; offset + 1 < buffer.length; offset += 2) values.push(buffer.readUInt16LE(offset) / SCALE);
  return values;
}
