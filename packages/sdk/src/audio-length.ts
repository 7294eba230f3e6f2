/**
 * The playing time of an audio file as TagLib reports it (iscc-sdk takes `duration` from
 * pytaglib: `round(lengthInMilliseconds / 1000)`), from ffprobe's numbers plus the two places
 * where TagLib counts differently from ffmpeg (checked against TagLib 1.13 on generated files):
 *
 * - Ogg Opus: TagLib subtracts the header's pre-skip (`(last granule - pre-skip) / 48 kHz`);
 *   ffmpeg does not.
 * - MP4/M4A: TagLib reads the first sound track's `mdhd` duration / timescale, priming
 *   samples included; ffmpeg applies the edit list.
 * - Everything else (WAV, AIFF, MP3, Vorbis, FLAC, WavPack) agrees with ffprobe's container
 *   duration.
 *
 * TagLib keeps whole milliseconds (rounded half up), so the seconds are rounded to ms first.
 */
import { open } from 'node:fs/promises';
import type { ProbeResult } from './ffmpeg.ts';

/** Largest `moov` box read to find the track duration (bytes). */
export const MP4_MOOV_MAX_BYTES = 64 * 1024 * 1024;

/** Seconds -> TagLib's whole milliseconds -> seconds. */
function tagLibMs(seconds: number): number {
  return Math.floor(seconds * 1000 + 0.5) / 1000;
}

/** Opus pre-skip from the `OpusHead` packet in the first bytes of an Ogg file, or null. */
function opusPreSkip(head: Uint8Array): number | null {
  const magic = [0x4f, 0x70, 0x75, 0x73, 0x48, 0x65, 0x61, 0x64]; // "OpusHead"
  outer: for (let i = 0; i + 12 <= head.length; i++) {
    for (let k = 0; k < 8; k++) if (head[i + k] !== magic[k]) continue outer;
    return head[i + 10]! | (head[i + 11]! << 8);
  }
  return null;
}

/** Boxes inside `buf` (ISO BMFF): type, payload start and end. */
function* boxes(buf: Uint8Array, start: number, end: number): Generator<{ type: string; from: number; to: number }> {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = start;
  while (pos + 8 <= end) {
    let size = dv.getUint32(pos);
    const type = String.fromCharCode(buf[pos + 4]!, buf[pos + 5]!, buf[pos + 6]!, buf[pos + 7]!);
    let hdr = 8;
    if (size === 1) {
      if (pos + 16 > end) return;
      size = Number(dv.getBigUint64(pos + 8));
      hdr = 16;
    } else if (size === 0) {
      size = end - pos;
    }
    if (size < hdr || pos + size > end) return;
    yield { type, from: pos + hdr, to: pos + size };
    pos += size;
  }
}

/** Duration (s) of the first sound track's `mdhd` inside a `moov` payload, or null. */
export function mp4SoundTrackSeconds(moov: Uint8Array): number | null {
  const dv = new DataView(moov.buffer, moov.byteOffset, moov.byteLength);
  for (const trak of boxes(moov, 0, moov.length)) {
    if (trak.type !== 'trak') continue;
    for (const mdia of boxes(moov, trak.from, trak.to)) {
      if (mdia.type !== 'mdia') continue;
      let isSound = false;
      let secs: number | null = null;
      for (const b of boxes(moov, mdia.from, mdia.to)) {
        if (b.type === 'hdlr' && b.to - b.from >= 12) {
          isSound = String.fromCharCode(...moov.subarray(b.from + 8, b.from + 12)) === 'soun';
        } else if (b.type === 'mdhd' && b.to - b.from >= 24) {
          const v1 = moov[b.from] === 1;
          if (v1 && b.to - b.from < 36) continue;
          const timescale = dv.getUint32(b.from + (v1 ? 20 : 12));
          const duration = v1 ? Number(dv.getBigUint64(b.from + 24)) : dv.getUint32(b.from + 16);
          secs = timescale > 0 ? duration / timescale : null;
        }
      }
      if (isSound && secs !== null) return secs;
    }
  }
  return null;
}

/** The `moov` payload of an MP4 file (reading box headers only until it is found), or null. */
async function readMoov(path: string): Promise<Uint8Array | null> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const h = Buffer.alloc(16);
    for (let pos = 0; pos + 8 <= size;) {
      await fh.read(h, 0, 16, pos);
      let len = h.readUInt32BE(0);
      let hdr = 8;
      if (len === 1) {
        len = Number(h.readBigUInt64BE(8));
        hdr = 16;
      } else if (len === 0) {
        len = size - pos;
      }
      if (len < hdr) return null;
      if (h.toString('latin1', 4, 8) === 'moov') {
        if (len > MP4_MOOV_MAX_BYTES) return null;
        const moov = Buffer.alloc(Math.min(len, size - pos) - hdr);
        await fh.read(moov, 0, moov.length, pos + hdr);
        return new Uint8Array(moov);
      }
      pos += len;
    }
    return null;
  } finally {
    await fh.close();
  }
}

/**
 * TagLib's length in seconds (whole milliseconds) of the audio file at `path` described by
 * `probe`, or null when no duration is known.
 */
export async function tagLibLength(path: string, probe: ProbeResult): Promise<number | null> {
  const formats = (probe.format?.format_name ?? '').split(',');
  const audio = (probe.streams ?? []).find((s) => s.codec_type === 'audio');
  const durations = [probe.format?.duration, audio?.duration].map((d) => Number(d)).filter((d) => Number.isFinite(d));
  const base = durations.length > 0 ? durations[0]! : null;
  try {
    if (formats.includes('ogg') && audio?.codec_name === 'opus' && base !== null) {
      const fh = await open(path, 'r');
      const head = Buffer.alloc(4096);
      let n: number;
      try {
        n = (await fh.read(head, 0, head.length, 0)).bytesRead;
      } finally {
        await fh.close();
      }
      const pre = opusPreSkip(new Uint8Array(head.subarray(0, n)));
      if (pre !== null) return tagLibMs(Math.max(0, base - pre / 48000));
    }
    if (formats.includes('mp4') || formats.includes('mov')) {
      const moov = await readMoov(path);
      const secs = moov ? mp4SoundTrackSeconds(moov) : null;
      if (secs !== null) return tagLibMs(secs);
    }
  } catch {
    // fall back to ffprobe's duration
  }
  return base === null ? null : tagLibMs(base);
}
