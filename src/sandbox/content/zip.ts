import { crc32, deflateRawSync } from 'node:zlib';

/** One file inside a zip archive. */
export interface ZipEntry {
  /** Path inside the archive, '/'-separated. */
  name: string;
  data: Buffer;
}

/** Every entry gets this timestamp (2011-02-01 09:00), so an archive is the same bytes on every run. */
const DOS_TIME = (9 << 11) | (0 << 5) | 0;
const DOS_DATE = ((2011 - 1980) << 9) | (2 << 5) | 1;
/** General purpose flag bit 11: the name is UTF-8 (we have names like 'Привет мир.txt'). */
const UTF8_NAME = 0x0800;

/**
 * A zip archive (PKWARE APPNOTE 4.3, no zip64: our archives are small). Each entry is deflated when
 * that makes it smaller, else stored. OOXML packages are plain zips like this one.
 */
export function zip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const flags = /^[\x20-\x7e]*$/.test(entry.name) ? 0 : UTF8_NAME;
    const crc = crc32(entry.data);
    const deflated = deflateRawSync(entry.data, { level: 9 });
    const [method, body] = deflated.length < entry.data.length ? [8, deflated] : [0, entry.data];

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // no extra field
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by: MS-DOS, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra, comment, disk number, internal and external attributes: all 0
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
