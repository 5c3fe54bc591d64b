//! Numbers as a planner reads them.

/// `1234567` as `1,234,567`.
pub fn group_thousands(x: f64) -> String {
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if x < 0.0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_grouped() {
        assert_eq!(super::group_thousands(1_234_567.0), "1,234,567");
        assert_eq!(super::group_thousands(-1_000.0), "-1,000");
        assert_eq!(super::group_thousands(999.4), "999");
    }
}
