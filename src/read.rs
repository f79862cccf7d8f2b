//! Reader: bytes in, UTF-8 text out.
//!
//! Decodes UTF-8 (with or without BOM), UTF-16 with BOM, and legacy single-byte encodings guessed by
//! chardetng (Windows-1252/1256, ISO-8859-x, KOI8-R…). Refuses binary files and inputs over the size
//! limit. Every offset newsx emits indexes the decoded text this module returns, so a reader can highlight
//! the original.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::Error;

/// Default limit on one input's size: 16 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 16 * 1024 * 1024;

/// Decoded text and what was assumed to get it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The text, as UTF-8.
    pub text: String,
    /// Notes such as the encoding assumed.
    pub warnings: Vec<String>,
}

/// Reads a file, refusing it when it is larger than `max_bytes`, and decodes it.
pub fn read_file(path: &Path, max_bytes: u64) -> Result<Decoded, Error> {
    let file = File::open(path)?;
    // The size the file has now sizes the buffer: one allocation, no regrowth.
    let hint = file.metadata().map_or(0, |m| m.len()).min(max_bytes);
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0).saturating_add(1));
    // Read one byte past the limit, so a file that grows while read is still caught.
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    check_size(bytes.len(), max_bytes)?;
    decode_owned(bytes)
}

/// Reads all of a reader (standard input) under the same limit and decodes it.
pub fn read_all(mut reader: impl Read, max_bytes: u64) -> Result<Decoded, Error> {
    let mut bytes = Vec::new();
    (&mut reader)
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    check_size(bytes.len(), max_bytes)?;
    decode_owned(bytes)
}

/// [`decode`] for bytes the caller gives up: UTF-8 text without a byte order mark, the common case,
/// becomes the text without a copy.
pub fn decode_owned(bytes: Vec<u8>) -> Result<Decoded, Error> {
    if encoding_rs::Encoding::for_bom(&bytes).is_some() || looks_binary(&bytes) {
        return decode(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text,
            warnings: Vec::new(),
        }),
        Err(e) => decode(e.as_bytes()),
    }
}

fn check_size(len: usize, max_bytes: u64) -> Result<(), Error> {
    let len = len as u64;
    if len > max_bytes {
        return Err(Error::TooLarge {
            size: len,
            limit: max_bytes,
        });
    }
    Ok(())
}

/// Decodes bytes to UTF-8 text, or says why it cannot.
pub fn decode(bytes: &[u8]) -> Result<Decoded, Error> {
    let mut warnings = Vec::new();
    // A BOM is the strongest evidence there is: UTF-16 text is full of NUL bytes, so it must be
    // recognized before the binary check.
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if encoding != encoding_rs::UTF_8 {
            warnings.push(format!("decoded as {} (byte order mark)", encoding.name()));
        }
        if had_errors {
            warnings.push("invalid byte sequences replaced with U+FFFD".to_string());
        }
        let text = text.into_owned();
        if looks_binary_text(&text) {
            return Err(Error::Binary);
        }
        return Ok(Decoded { text, warnings });
    }
    if looks_binary(bytes) {
        return Err(Error::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_string(),
            warnings,
        });
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let encoding = detector.guess(None, true);
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors && encoding == encoding_rs::UTF_8 {
        return Err(Error::Undecodable);
    }
    warnings.push(format!(
        "not UTF-8: decoded as {} (guessed)",
        encoding.name()
    ));
    if had_errors {
        warnings.push("invalid byte sequences replaced with U+FFFD".to_string());
    }
    let text = text.into_owned();
    if looks_binary_text(&text) {
        return Err(Error::Undecodable);
    }
    Ok(Decoded { text, warnings })
}

/// A NUL byte, or more than 10% control bytes other than whitespace, in the first 8 KiB.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    !head.is_empty() && controls * 10 > head.len()
}

fn looks_binary_text(text: &str) -> bool {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars().take(8192) {
        total += 1;
        if c == '\0' || (c.is_control() && !c.is_whitespace()) {
            bad += 1;
        }
    }
    total > 0 && (text.contains('\0') || bad * 10 > total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom_is_stripped() {
        let d = decode(b"\xEF\xBB\xBFhello").unwrap();
        assert_eq!(d.text, "hello");
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn utf16le_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "caf\u{e9}".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, "café");
        assert!(d.warnings[0].contains("UTF-16LE"));
    }

    #[test]
    fn latin1_french() {
        let bytes =
            b"Le bilan s'\xE9l\xE8ve \xE0 sept morts apr\xE8s l'attaque, selon la pr\xE9fecture.";
        let d = decode(bytes).unwrap();
        assert!(d.text.contains("s'élève à sept morts"));
        assert!(d.warnings[0].contains("windows-1252"));
    }

    #[test]
    fn nul_is_binary() {
        assert!(matches!(decode(b"abc\0def"), Err(Error::Binary)));
    }

    #[test]
    fn size_limit() {
        assert!(matches!(
            read_all(&b"0123456789"[..], 5),
            Err(Error::TooLarge { .. })
        ));
        assert!(read_all(&b"01234"[..], 5).is_ok());
    }
}
