//! Numbers as messages and reports show them.

/// A whole number with thousands separators (`9,512`), rounded; negative values show as 0.
pub fn thousands(x: f64) -> String {
    let digits = format!("{:.0}", x.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separates_groups() {
        assert_eq!(thousands(9512.4), "9,512");
        assert_eq!(thousands(950.0), "950");
        assert_eq!(thousands(1_234_567.0), "1,234,567");
        assert_eq!(thousands(-3.0), "0");
    }
}
