//! Floating-point numbers written with a fixed number of decimals, as `{:.2}` and `{:+.2}`
//! write them. The standard formatter works out the exact decimal expansion of the binary
//! value for every number (over a thousand instructions), and a lane's reasons write about
//! ten: where the value times 10^places is far from a tie, rounding that product gives the
//! same digits. Other values (ties, large or not finite) go to the standard formatter.

use std::fmt;

/// `value` with `places` decimals (0 to 4), signed with `+` when `plus`: the text of
/// `{:.places$}` or `{:+.places$}`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fixed {
    pub value: f64,
    pub places: u8,
    pub plus: bool,
}

/// `{:.places$}` of `value`.
pub(crate) fn with_places(value: f64, places: u8) -> Fixed {
    Fixed { value, places, plus: false }
}

/// `{:+.places$}` of `value`.
pub(crate) fn signed_with_places(value: f64, places: u8) -> Fixed {
    Fixed { value, places, plus: true }
}

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let places = usize::from(self.places.min(4));
        let whole = 10u64.pow(u32::from(self.places.min(4)));
        #[allow(clippy::cast_precision_loss)] // At most 10^4.
        let scaled = (self.value * whole as f64).abs();
        // The product is within 2^-53 of its size of the exact one: below 10^9 that is under
        // 10^-6, so a product further than that from a tie rounds as the exact value does.
        let clear = scaled < 1e9 && ((scaled - scaled.trunc()) - 0.5).abs() > 1e-6;
        if !clear {
            return if self.plus {
                write!(f, "{:+.*}", places, self.value)
            } else {
                write!(f, "{:.*}", places, self.value)
            };
        }
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // Below 10^9.
        let units = scaled.round() as u64;
        // The sign of the value, not of its rounding: `-0.001` is `-0.00`.
        let sign = match (self.value.is_sign_negative(), self.plus) {
            (true, _) => "-",
            (false, true) => "+",
            (false, false) => "",
        };
        // Integers are written without the float machinery.
        if places == 0 {
            write!(f, "{sign}{units}")
        } else {
            write!(f, "{sign}{}.{:0places$}", units / whole, units % whole)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standard(value: f64, places: u8, plus: bool) -> String {
        let places = usize::from(places);
        if plus { format!("{value:+.places$}") } else { format!("{value:.places$}") }
    }

    #[test]
    fn numbers_are_written_as_the_standard_formatter_writes_them() {
        let mut values = vec![
            0.0,
            -0.0,
            0.001,
            -0.001,
            0.005,
            -0.005,
            0.125,
            -0.125,
            2.675,
            1.005,
            0.5,
            -0.5,
            1.5,
            2.5,
            9.995,
            99.999,
            0.045,
            1e-300,
            -1e-300,
            123_456.789,
            999_999.995,
            1e7,
            1e9,
            1e15,
            -1e20,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        // Values across magnitudes, from a fixed xorshift sequence.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            #[allow(clippy::cast_precision_loss)]
            let unit = (state >> 11) as f64 / (1u64 << 53) as f64;
            let exponent = i32::try_from(state % 14).unwrap_or(0) - 6;
            let sign = if state & 1 == 0 { 1.0 } else { -1.0 };
            values.push(sign * unit * 10f64.powi(exponent));
        }
        // Ties and their neighbours in binary.
        for cents in 0..2_000_u32 {
            let tie = (f64::from(cents) + 0.5) / 100.0;
            values.extend([
                tie,
                f64::from_bits(tie.to_bits() + 1),
                f64::from_bits(tie.to_bits() - 1),
            ]);
        }
        for value in values {
            for places in 0..=4 {
                for plus in [false, true] {
                    let fast = Fixed { value, places, plus }.to_string();
                    assert_eq!(fast, standard(value, places, plus), "{value:e} {places} {plus}");
                }
            }
        }
    }
}
