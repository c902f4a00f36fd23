//! The ISO 6346 check digit, which container numbers carry and the EU and UK customs systems
//! reuse for the check character of an MRN.
//!
//! Each character gets a value (digits their own; letters from A = 10 upwards, skipping the
//! multiples of 11: B = 12, ..., K = 21, L = 23, ..., U = 32, V = 34, ..., Z = 38), is
//! weighted by 2 to the power of its position, and the sum is taken modulo 11; a remainder
//! of 10 gives the digit 0.

/// The check digit of `characters` (capital letters and digits), or `None` if another
/// character is among them.
pub(crate) fn check_digit(characters: &str) -> Option<u8> {
    let mut sum: u64 = 0;
    for (position, byte) in characters.bytes().enumerate() {
        let value = match byte {
            b'0'..=b'9' => u64::from(byte - b'0'),
            b'A'..=b'Z' => {
                let index = u64::from(byte - b'A');
                // A = 10, then one more per letter, skipping 11, 22 and 33.
                let raw = 10 + index;
                raw + (raw - 1) / 10
            }
            _ => return None,
        };
        let weight = 1_u64.checked_shl(u32::try_from(position).ok()?)?;
        sum = sum.checked_add(value.checked_mul(weight)?)?;
    }
    u8::try_from(sum % 11 % 10).ok()
}

#[cfg(test)]
mod tests {
    use super::check_digit;

    #[test]
    fn letter_values_skip_multiples_of_eleven() {
        // One character has weight 1, so its check digit is its value mod 11 mod 10:
        // A = 10 gives 0, K = 21 gives 0, L = 23 gives 1, V = 34 gives 1, Z = 38 gives 5.
        for (letter, digit) in
            [("A", 0), ("B", 1), ("K", 0), ("L", 1), ("U", 0), ("V", 1), ("Z", 5)]
        {
            assert_eq!(check_digit(letter), Some(digit), "{letter}");
        }
    }

    #[test]
    fn known_numbers() {
        // A container number from ISO 6346's own example, and MRNs CDS issued.
        assert_eq!(check_digit("CSQU305438"), Some(3));
        assert_eq!(check_digit("18GBJCM3USAFD2WD5"), Some(1));
        assert_eq!(check_digit("24GBA4ZYBWXU1BSA0"), Some(0));
        assert_eq!(check_digit("a"), None);
    }
}
