export interface ToneSpec {
  /** Seconds of sound. */
  seconds: number;
  /** The notes played one after another, in Hz. */
  notes: readonly number[];
  sampleRate?: number;
}

/**
 * A WAV file (RIFF, 16-bit PCM, mono): the notes as sine tones with short fades, so it plays as a
 * little chime rather than clicks. Math.sin is deterministic for the same inputs, so are the bytes.
 */
export function wav({ seconds, notes, sampleRate = 22_050 }: ToneSpec): Buffer {
  const samples = Math.round(seconds * sampleRate);
  const dataSize = samples * 2;
  const out = Buffer.alloc(44 + dataSize);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + dataSize, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16); // fmt chunk size for PCM
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28); // byte rate
  out.writeUInt16LE(2, 32); // block align
  out.writeUInt16LE(16, 34); // bits per sample
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(dataSize, 40);

  const perNote = Math.ceil(samples / Math.max(1, notes.length));
  const fade = Math.min(perNote / 4, sampleRate * 0.02);
  for (let i = 0; i < samples; i++) {
    const note = notes[Math.floor(i / perNote)] ?? 440;
    const t = i % perNote;
    const envelope = Math.min(1, t / fade, (perNote - t) / fade);
    const value = Math.sin((2 * Math.PI * note * i) / sampleRate) * envelope * 0.6;
    out.writeInt16LE(Math.round(value * 32767), 44 + i * 2);
  }
  return out;
}
