import { CONSTRAINT_FLAGS, LEVEL, PROFILE_BASELINE, type H264Stream } from './h264.ts';

export interface Mp4Video {
  width: number;
  height: number;
  framesPerSecond: number;
  stream: H264Stream;
}

/** 2011-02-01T00:00:00Z in seconds since 1904-01-01, the ISO BMFF epoch; fixed so bytes don't change. */
const CREATED = (Date.UTC(2011, 1, 1) - Date.UTC(1904, 0, 1)) / 1000;
const MATRIX = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];

/**
 * An MP4 file (ISO/IEC 14496-12 and -15) holding one H.264 video track: ftyp, then moov before mdat
 * ("fast start", so a browser can play it while downloading), all samples in one chunk.
 */
export function mp4({ width, height, framesPerSecond, stream }: Mp4Video): Buffer {
  const timescale = framesPerSecond * 100;
  const delta = 100;
  const count = stream.pictures.length;
  const duration = count * delta;
  const movieDuration = Math.round((duration / timescale) * 1000);
  // AVC samples are length-prefixed NAL units (lengthSizeMinusOne = 3 in avcC).
  const samples = stream.pictures.map(({ nal }) => Buffer.concat([u32(nal.length), nal]));

  const ftyp = box('ftyp', Buffer.from('isom'), u32(0x200), Buffer.from('isomiso2avc1mp41'));
  const moov = (chunkOffset: number): Buffer =>
    box('moov',
      fullBox('mvhd', 0, 0, u32(CREATED), u32(CREATED), u32(1000), u32(movieDuration), u32(0x10000), u16(0x100), Buffer.alloc(10),
        ...MATRIX.map(u32), Buffer.alloc(24), u32(2)),
      box('trak',
        fullBox('tkhd', 0, 3, u32(CREATED), u32(CREATED), u32(1), u32(0), u32(movieDuration), Buffer.alloc(8), u16(0), u16(0), u16(0), u16(0),
          ...MATRIX.map(u32), u32(width << 16), u32(height << 16)),
        box('mdia',
          fullBox('mdhd', 0, 0, u32(CREATED), u32(CREATED), u32(timescale), u32(duration), u16(0x55c4 /* 'und' */), u16(0)),
          fullBox('hdlr', 0, 0, u32(0), Buffer.from('vide'), Buffer.alloc(12), Buffer.from('VideoHandler\0')),
          box('minf',
            fullBox('vmhd', 0, 1, Buffer.alloc(8)),
            box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1))),
            box('stbl',
              fullBox('stsd', 0, 0, u32(1), avc1(width, height, stream)),
              fullBox('stts', 0, 0, u32(1), u32(count), u32(delta)),
              fullBox('stss', 0, 0, ...syncSamples(stream)),
              fullBox('stsc', 0, 0, u32(1), u32(1), u32(count), u32(1)),
              fullBox('stsz', 0, 0, u32(0), u32(count), ...samples.map((sample) => u32(sample.length))),
              fullBox('stco', 0, 0, u32(1), u32(chunkOffset)),
            ),
          ),
        ),
      ),
    );
  // The chunk offset is a fixed-size field, so measuring moov with a placeholder gives the real offset.
  const offset = ftyp.length + moov(0).length + 8;
  return Buffer.concat([ftyp, moov(offset), box('mdat', ...samples)]);
}

function avc1(width: number, height: number, stream: H264Stream): Buffer {
  const avcC = box('avcC',
    Buffer.from([1, PROFILE_BASELINE, CONSTRAINT_FLAGS, LEVEL, 0xff /* 4-byte NAL lengths */, 0xe1 /* one SPS */]),
    u16(stream.sps.length), stream.sps, Buffer.from([1]), u16(stream.pps.length), stream.pps);
  const compressor = Buffer.alloc(32);
  compressor.write('\x0cfs-picker AVC', 'latin1');
  return box('avc1',
    Buffer.alloc(6), u16(1), // reserved, data_reference_index
    Buffer.alloc(16), u16(width), u16(height),
    u32(0x480000), u32(0x480000), u32(0), u16(1), // 72 dpi, 1 frame per sample
    compressor, u16(0x18), u16(0xffff), avcC);
}

function syncSamples(stream: H264Stream): Buffer[] {
  const sync = stream.pictures.flatMap(({ keyframe }, i) => (keyframe ? [u32(i + 1)] : []));
  return [u32(sync.length), ...sync];
}

function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  return Buffer.concat([u32(body.length + 8), Buffer.from(type, 'latin1'), body]);
}

function fullBox(type: string, version: number, flags: number, ...payload: Buffer[]): Buffer {
  return box(type, u32((version << 24) | flags), ...payload);
}

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

function u16(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(value);
  return out;
}
