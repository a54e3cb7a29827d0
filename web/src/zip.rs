//! A zip archive of files stored as they are (no compression: PNGs are compressed already),
//! for "every step as numbered images". Written by hand: the format for stored files is a
//! header per file and a directory at the end, and a zip crate would bring its compressors.
//! The checksum is the core's CRC-32.

/// A zip archive holding `files` (name, bytes) in order.
///
/// ```
/// let zip = hashhalo_web::zip::store(&[("a.txt".into(), b"hi".to_vec())]);
/// assert_eq!(&zip[..4], b"PK\x03\x04");
/// assert_eq!(&zip[zip.len() - 22..zip.len() - 18], b"PK\x05\x06");
/// ```
pub fn store(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for (name, data) in files {
        let offset = out.len() as u32;
        let crc = hashhalo_core::crc32::hash(data);
        let size = data.len() as u32;
        let name = name.as_bytes();
        // Local file header: version 2.0, no flags, stored, a fixed time (1 Jan 2026, 00:00).
        out.extend_from_slice(b"PK\x03\x04");
        put16(&mut out, 20);
        put16(&mut out, 0);
        put16(&mut out, 0);
        put16(&mut out, 0);
        put16(&mut out, DOS_DATE);
        put32(&mut out, crc);
        put32(&mut out, size);
        put32(&mut out, size);
        put16(&mut out, name.len() as u16);
        put16(&mut out, 0);
        out.extend_from_slice(name);
        out.extend_from_slice(data);
        // Its central directory entry.
        directory.extend_from_slice(b"PK\x01\x02");
        put16(&mut directory, 20);
        put16(&mut directory, 20);
        put16(&mut directory, 0);
        put16(&mut directory, 0);
        put16(&mut directory, 0);
        put16(&mut directory, DOS_DATE);
        put32(&mut directory, crc);
        put32(&mut directory, size);
        put32(&mut directory, size);
        put16(&mut directory, name.len() as u16);
        put16(&mut directory, 0);
        put16(&mut directory, 0);
        put16(&mut directory, 0);
        put16(&mut directory, 0);
        put32(&mut directory, 0);
        put32(&mut directory, offset);
        directory.extend_from_slice(name);
    }
    let at = out.len() as u32;
    let len = directory.len() as u32;
    out.extend_from_slice(&directory);
    out.extend_from_slice(b"PK\x05\x06");
    put16(&mut out, 0);
    put16(&mut out, 0);
    put16(&mut out, files.len() as u16);
    put16(&mut out, files.len() as u16);
    put32(&mut out, len);
    put32(&mut out, at);
    put16(&mut out, 0);
    out
}

/// 2026-01-01 as MS-DOS writes a date: years since 1980, month, day.
const DOS_DATE: u16 = ((2026 - 1980) << 9) | (1 << 5) | 1;

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the archive back by its central directory, as an unzipper does.
    fn read(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
        let u16_at = |i: usize| u16::from_le_bytes([zip[i], zip[i + 1]]) as usize;
        let u32_at = |i: usize| u32::from_le_bytes(zip[i..i + 4].try_into().unwrap()) as usize;
        let end = zip.len() - 22;
        assert_eq!(&zip[end..end + 4], b"PK\x05\x06");
        let (count, mut at) = (u16_at(end + 10), u32_at(end + 16));
        let mut files = Vec::new();
        for _ in 0..count {
            assert_eq!(&zip[at..at + 4], b"PK\x01\x02");
            let (crc, size, name_len, local) = (
                u32_at(at + 16),
                u32_at(at + 20),
                u16_at(at + 28),
                u32_at(at + 42),
            );
            let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).unwrap();
            assert_eq!(&zip[local..local + 4], b"PK\x03\x04");
            let data_at = local + 30 + u16_at(local + 26) + u16_at(local + 28);
            let data = zip[data_at..data_at + size].to_vec();
            assert_eq!(hashhalo_core::crc32::hash(&data) as usize, crc);
            files.push((name, data));
            at += 46 + name_len;
        }
        files
    }

    #[test]
    fn files_read_back_by_the_directory() {
        let files = vec![
            ("step-00.png".to_string(), vec![0u8, 1, 2, 255]),
            ("step-01.png".to_string(), b"second".to_vec()),
            ("empty".to_string(), Vec::new()),
        ];
        assert_eq!(read(&store(&files)), files);
        assert_eq!(read(&store(&[])), Vec::new());
    }
}
