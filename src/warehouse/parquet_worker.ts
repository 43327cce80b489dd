/**
 * The worker of {@linkcode EncoderPool}: checks and encodes each chunk it
 * is sent ({@linkcode encodeRowGroup}, against the last row of the chunk
 * before), and sends back its statistics and compressed column chunks
 * (buffers transferred), or the check's error.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import type { EventChunk } from "./event_chunk.ts";
import { encodeRowGroup } from "./parquet_pages.ts";
import { errorMessage } from "../errors.ts";

/** What the pool sends: a chunk of `month`, the last id and ts before it, the zstd level. */
export interface EncodeRequest {
  id: number;
  chunk: EventChunk;
  month: string;
  previousId: Uint8Array | null;
  previousTs: number;
  level: number;
}

self.onmessage = (e: MessageEvent<EncodeRequest>) => {
  const { id, chunk, month, previousId, previousTs, level } = e.data;
  try {
    const { stats, columns } = encodeRowGroup(chunk, month, previousId, previousTs, level);
    const buffers = columns.flatMap((c) => [c.dictionary?.bytes.buffer, c.data.bytes.buffer])
      .filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
    self.postMessage({ id, stats, columns }, buffers);
  } catch (error) {
    self.postMessage({
      id,
      error: errorMessage(error),
      range: error instanceof RangeError,
    });
  }
};
