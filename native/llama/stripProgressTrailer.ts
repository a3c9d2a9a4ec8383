import fs from 'node:fs';

/** ipull's trailer lists one entry per 5 MiB chunk; even a 100 GB model's stays far below this. */
const MAX_TRAILER_BYTES = 1024 * 1024;

/**
 * Removes the resume record node-llama-cpp's downloader (ipull) may leave after the model's last byte, and says
 * whether it did. While downloading, ipull appends its progress as JSON after the file's end, and when the download
 * finishes it truncates the file back to the model's size. The last progress write is not awaited, though: its
 * thread-pool write can land after that truncate (seen under heavy CPU load), leaving a complete model followed by a
 * few dozen bytes of JSON. Only such a trailer is removed; any other excess is left for the size check to reject.
 */
export function stripProgressTrailer(file: string, modelBytes: number): boolean {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return false;
  }
  const excess = size - modelBytes;
  if (modelBytes <= 0 || excess <= 0 || excess > MAX_TRAILER_BYTES) return false;
  const tail = Buffer.alloc(excess);
  const fd = fs.openSync(file, 'r+');
  try {
    fs.readSync(fd, tail, 0, excess, modelBytes);
    if (!isProgressRecord(tail.toString('utf8'))) return false;
    fs.ftruncateSync(fd, modelBytes);
    return true;
  } finally {
    fs.closeSync(fd);
  }
}

function isProgressRecord(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && Array.isArray((value as { chunks?: unknown }).chunks);
  } catch {
    return false;
  }
}
