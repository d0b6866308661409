/**
 * A tiny H.264 (ITU-T H.264) encoder that needs no transform coding: every changed macroblock is sent
 * raw as I_PCM (lossless), every unchanged one is skipped in a P picture. Streams are Constrained
 * Baseline, CAVLC, one slice per picture, POC type 2 (output order = decoding order). Any decoder
 * plays them; they are large per changed pixel, which is fine for short, mostly still clips.
 */

/** A picture in YUV 4:2:0, 8 bits, dimensions multiples of 16. */
export interface YuvFrame {
  width: number;
  height: number;
  y: Uint8Array;
  u: Uint8Array;
  v: Uint8Array;
}

export interface H264Stream {
  /** Sequence and picture parameter sets, as NAL units without start codes (for the MP4 avcC box). */
  sps: Buffer;
  pps: Buffer;
  /** One NAL unit per picture; the first is an IDR picture. */
  pictures: { nal: Buffer; keyframe: boolean }[];
}

export const PROFILE_BASELINE = 66;
export const CONSTRAINT_FLAGS = 0xc0; // constraint_set0 + set1: Constrained Baseline
export const LEVEL = 30; // level 3.0: room for raw macroblocks' bitrate at small sizes
const LOG2_MAX_FRAME_NUM = 8;

export function encodeH264(frames: readonly YuvFrame[]): H264Stream {
  const first = frames[0];
  if (!first || first.width % 16 || first.height % 16) throw new Error('H.264: need frames whose sides are multiples of 16');
  const mbWidth = first.width / 16;
  const mbHeight = first.height / 16;

  const sps = new BitWriter();
  sps.u(8, PROFILE_BASELINE).u(8, CONSTRAINT_FLAGS).u(8, LEVEL);
  sps.ue(0); // seq_parameter_set_id
  sps.ue(LOG2_MAX_FRAME_NUM - 4);
  sps.ue(2); // pic_order_cnt_type: no reordering
  sps.ue(1); // max_num_ref_frames
  sps.u(1, 0); // gaps_in_frame_num_value_allowed_flag
  sps.ue(mbWidth - 1).ue(mbHeight - 1);
  sps.u(1, 1); // frame_mbs_only_flag
  sps.u(1, 1); // direct_8x8_inference_flag
  sps.u(1, 0); // frame_cropping_flag
  sps.u(1, 0); // vui_parameters_present_flag
  sps.trailing();

  const pps = new BitWriter();
  pps.ue(0).ue(0); // pic_parameter_set_id, seq_parameter_set_id
  pps.u(1, 0); // entropy_coding_mode_flag: CAVLC
  pps.u(1, 0); // bottom_field_pic_order_in_frame_present_flag
  pps.ue(0); // num_slice_groups_minus1
  pps.ue(0).ue(0); // num_ref_idx_l0/l1_default_active_minus1
  pps.u(1, 0).u(2, 0); // weighted_pred_flag, weighted_bipred_idc
  pps.se(0).se(0).se(0); // pic_init_qp_minus26, pic_init_qs_minus26, chroma_qp_index_offset
  pps.u(1, 1); // deblocking_filter_control_present_flag: lets slices switch the filter off
  pps.u(1, 0).u(1, 0); // constrained_intra_pred_flag, redundant_pic_cnt_present_flag
  pps.trailing();

  const pictures = frames.map((frame, index) => {
    const idr = index === 0;
    const previous = idr ? undefined : frames[index - 1];
    const slice = new BitWriter();
    slice.ue(0); // first_mb_in_slice
    slice.ue(idr ? 7 : 5); // slice_type: all I / all P
    slice.ue(0); // pic_parameter_set_id
    slice.u(LOG2_MAX_FRAME_NUM, index % (1 << LOG2_MAX_FRAME_NUM)); // frame_num
    if (idr) slice.ue(0); // idr_pic_id
    else slice.u(1, 0).u(1, 0); // num_ref_idx_active_override_flag, ref_pic_list_modification_flag_l0
    if (idr) slice.u(1, 0).u(1, 0); // no_output_of_prior_pics_flag, long_term_reference_flag
    else slice.u(1, 0); // adaptive_ref_pic_marking_mode_flag
    slice.se(0); // slice_qp_delta
    slice.ue(1); // disable_deblocking_filter_idc: off (PCM is exact; nothing to smooth)

    let skipped = 0;
    for (let mby = 0; mby < mbHeight; mby++) {
      for (let mbx = 0; mbx < mbWidth; mbx++) {
        // A P_Skip macroblock copies the reference (its predicted motion is zero here, as every
        // neighbour is either intra or skipped with zero motion), and the reference is exact.
        if (previous && sameMacroblock(frame, previous, mbx, mby)) {
          skipped++;
          continue;
        }
        if (!idr) slice.ue(skipped); // mb_skip_run
        skipped = 0;
        slice.ue(idr ? 25 : 30); // mb_type I_PCM (5 + 25 in a P slice)
        slice.align(); // pcm_alignment_zero_bit
        slice.bytes(macroblockSamples(frame, mbx, mby));
      }
    }
    if (skipped > 0) slice.ue(skipped);
    slice.trailing();
    return { nal: nalUnit(idr ? 3 : 2, idr ? 5 : 1, slice.finish()), keyframe: idr };
  });

  return { sps: nalUnit(3, 7, sps.finish()), pps: nalUnit(3, 8, pps.finish()), pictures };
}

function macroblockSamples(frame: YuvFrame, mbx: number, mby: number): Uint8Array {
  const out = new Uint8Array(384);
  let k = 0;
  for (let row = 0; row < 16; row++) {
    const start = (mby * 16 + row) * frame.width + mbx * 16;
    out.set(frame.y.subarray(start, start + 16), k);
    k += 16;
  }
  const half = frame.width / 2;
  for (const plane of [frame.u, frame.v]) {
    for (let row = 0; row < 8; row++) {
      const start = (mby * 8 + row) * half + mbx * 8;
      out.set(plane.subarray(start, start + 8), k);
      k += 8;
    }
  }
  return out;
}

function sameMacroblock(a: YuvFrame, b: YuvFrame, mbx: number, mby: number): boolean {
  const samplesA = macroblockSamples(a, mbx, mby);
  const samplesB = macroblockSamples(b, mbx, mby);
  return samplesA.every((value, i) => value === samplesB[i]);
}

/** NAL header byte, then the RBSP with emulation prevention bytes (no 00 00 0x inside a NAL unit). */
function nalUnit(refIdc: number, type: number, rbsp: Uint8Array): Buffer {
  const out: number[] = [(refIdc << 5) | type];
  let zeros = 0;
  for (const byte of rbsp) {
    if (zeros >= 2 && byte <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(byte);
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return Buffer.from(out);
}

/** Big-endian bit writer with the Exp-Golomb codes H.264 headers use. */
class BitWriter {
  private readonly out: number[] = [];
  private current = 0;
  private count = 0;

  u(bits: number, value: number): this {
    for (let i = bits - 1; i >= 0; i--) this.bit((value >>> i) & 1);
    return this;
  }

  ue(value: number): this {
    const code = value + 1;
    const length = 32 - Math.clz32(code);
    return this.u(length - 1, 0).u(length, code);
  }

  se(value: number): this {
    return this.ue(value > 0 ? 2 * value - 1 : -2 * value);
  }

  align(): this {
    while (this.count !== 0) this.bit(0);
    return this;
  }

  bytes(data: Uint8Array): this {
    for (const byte of data) this.out.push(byte); // only called when aligned
    return this;
  }

  /** rbsp_trailing_bits: a stop bit, then zeros to the byte boundary. */
  trailing(): this {
    return this.bit(1).align();
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.out);
  }

  private bit(value: number): this {
    this.current = (this.current << 1) | value;
    if (++this.count === 8) {
      this.out.push(this.current);
      this.current = 0;
      this.count = 0;
    }
    return this;
  }
}
