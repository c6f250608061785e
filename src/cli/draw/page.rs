//! `--page`: the largest drawing, from a paper name or WIDTHxHEIGHT with a unit.

/// A page size in points (1/72 inch).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Page {
    /// Width in points.
    pub width: f64,
    /// Height in points.
    pub height: f64,
}

/// Points per millimetre.
const MM: f64 = 72.0 / 25.4;

impl Default for Page {
    /// `a4`: the text block of an A4 page with 25 mm margins, 160 x 247 mm.
    fn default() -> Self {
        Page {
            width: 160.0 * MM,
            height: 247.0 * MM,
        }
    }
}

impl Page {
    /// The size as `(width, height)` in points.
    pub fn points(self) -> (f64, f64) {
        (self.width, self.height)
    }
}

/// The smallest and largest side, in points (1 inch and 100 inches).
const SIDES: (f64, f64) = (72.0, 7200.0);

/// Parse `a4` (160 x 247 mm, the text block of A4 with 25 mm margins), `letter` (6.5 x 9 in,
/// US letter with 1 in margins) or `WIDTHxHEIGHT` with a unit `mm`, `cm`, `in` or `pt`
/// (`170x240mm`, `6.5x9in`, `400x300pt`); each side from 1 to 100 inches.
pub fn parse(s: &str) -> Result<Page, String> {
    const FORM: &str = "a page is a4, letter or WIDTHxHEIGHT with a unit mm, cm, in or pt (e.g. 170x240mm, 6.5x9in)";
    let t = s.trim().to_ascii_lowercase();
    match t.as_str() {
        "a4" => return Ok(Page::default()),
        "letter" => {
            return Ok(Page {
                width: 6.5 * 72.0,
                height: 9.0 * 72.0,
            })
        }
        _ => {}
    }
    let unit = ["mm", "cm", "in", "pt"]
        .into_iter()
        .find(|u| t.ends_with(u))
        .ok_or_else(|| format!("no unit; {FORM}"))?;
    let scale = match unit {
        "mm" => MM,
        "cm" => 10.0 * MM,
        "in" => 72.0,
        _ => 1.0,
    };
    let body = &t[..t.len() - unit.len()];
    let (w, h) = body
        .split_once('x')
        .ok_or_else(|| format!("not WIDTHxHEIGHT; {FORM}"))?;
    let side = |v: &str| -> Result<f64, String> {
        match v.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => {
                let pt = x * scale;
                if (SIDES.0..=SIDES.1).contains(&pt) {
                    Ok(pt)
                } else {
                    Err(format!(
                        "out of range; each side of a page is from 1 to 100 inches (25.4 to 2540 mm), got {}{unit}",
                        v.trim()
                    ))
                }
            }
            _ => Err(format!("'{}' is not a number; {FORM}", v.trim())),
        }
    };
    Ok(Page {
        width: side(w)?,
        height: side(h)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_units() {
        assert_eq!(parse("A4").unwrap(), Page::default());
        assert!((Page::default().width - 453.54).abs() < 0.01);
        assert_eq!(parse("letter").unwrap().points(), (468.0, 648.0));
        assert_eq!(parse("6.5x9in").unwrap().points(), (468.0, 648.0));
        assert_eq!(parse("400x300pt").unwrap().points(), (400.0, 300.0));
        let p = parse("17x24cm").unwrap();
        assert!((p.width - 170.0 * MM).abs() < 1e-9 && (p.height - 240.0 * MM).abs() < 1e-9);
        for bad in [
            "", "a5", "170x240", "170mm", "0x240mm", "NaNx3in", "1x1e9in", "-5x5in",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
