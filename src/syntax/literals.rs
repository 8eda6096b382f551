//! Classification of number-like tokens (`30s`, `256MiB`, `5%`) and string
//! escapes. Kept apart from the tree walk so the unit tables are in one place.

use std::time::Duration;

pub enum Numeric {
    Number(f64),
    Percent(f64),
    Size(u64),
    Duration(Duration),
}

pub const SIZE_UNITS: &[(&str, u64)] = &[
    ("B", 1),
    ("KB", 1_000),
    ("MB", 1_000_000),
    ("GB", 1_000_000_000),
    ("TB", 1_000_000_000_000),
    ("KiB", 1 << 10),
    ("MiB", 1 << 20),
    ("GiB", 1 << 30),
    ("TiB", 1 << 40),
];

pub const DURATION_UNITS: &[(&str, u64)] = &[
    ("ms", 1),
    ("s", 1_000),
    ("m", 60_000),
    ("h", 3_600_000),
    ("d", 86_400_000),
];

/// Why a numeric token was refused: the message and a help line.
pub struct BadNumeric {
    pub message: String,
    pub help: String,
}

pub fn classify(token: &str) -> Result<Numeric, BadNumeric> {
    let split = token
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '-')))
        .map(|(i, _)| i)
        .unwrap_or(token.len());
    let (num, unit) = token.split_at(split);
    let bad_number = || BadNumeric {
        message: format!("`{token}` is not a valid number"),
        help: "write a number such as `2`, `0.5` or `-1`".into(),
    };
    let value: f64 = num.parse().map_err(|_| bad_number())?;
    if !value.is_finite() {
        return Err(bad_number());
    }
    match unit {
        "" => return Ok(Numeric::Number(value)),
        "%" => return Ok(Numeric::Percent(value)),
        _ => {}
    }
    if let Some((_, mult)) = SIZE_UNITS.iter().find(|(u, _)| *u == unit) {
        if num.contains('.') || value < 0.0 {
            return Err(BadNumeric {
                message: format!("`{token}`: a size is a whole, non-negative number of units"),
                help: "write e.g. `512MiB` or `1GiB`".into(),
            });
        }
        let bytes = (value as u64)
            .checked_mul(*mult)
            .ok_or_else(|| BadNumeric {
                message: format!("`{token}` is too large"),
                help: "sizes must fit in 64 bits of bytes".into(),
            })?;
        return Ok(Numeric::Size(bytes));
    }
    parse_duration(token).map(Numeric::Duration).ok_or_else(|| {
        let units: Vec<&str> = SIZE_UNITS
            .iter()
            .chain(DURATION_UNITS)
            .map(|(u, _)| *u)
            // `%` is one edit from any one-letter unit (`1w` → `1%`): only
            // offered for what is not a word.
            .chain((!unit.starts_with(|c: char| c.is_ascii_alphabetic())).then_some("%"))
            .collect();
        let weeks = matches!(unit, "w" | "wk" | "week" | "weeks");
        let help = match crate::diagnostics::did_you_mean(unit, units.iter().copied()) {
            _ if weeks => {
                let n = num.parse::<f64>().unwrap_or(1.0);
                format!("eosc has no week unit (nor has Go, which Nomad reads durations with); write days or hours: `{}d` or `{}h`", fmt_num(n * 7.0), fmt_num(n * 168.0))
            }
            Some(s) => format!("did you mean `{num}{s}`? durations use ms, s, m, h, d; sizes use B, KB, MB, GB, KiB, MiB, GiB"),
            None => "durations use ms, s, m, h, d (`1h30m`); sizes use B, KB, MB, GB, KiB, MiB, GiB; percents end in %".into(),
        };
        BadNumeric {
            message: format!("unknown unit `{unit}` in `{token}`"),
            help,
        }
    })
}

/// `1h30m`, `250ms`: one or more whole numbers each followed by a unit.
fn parse_duration(token: &str) -> Option<Duration> {
    let mut rest = token;
    let mut total: u64 = 0;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let n: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        let (_, mult) = DURATION_UNITS.iter().find(|(u, _)| *u == unit)?;
        total = total.checked_add(n.checked_mul(*mult)?)?;
        rest = &rest[unit_len..];
    }
    Some(Duration::from_millis(total))
}

/// Decodes one escape sequence (the text after the backslash).
pub fn unescape(seq: &str) -> Option<char> {
    match seq {
        "n" => Some('\n'),
        "t" => Some('\t'),
        "r" => Some('\r'),
        "\"" => Some('"'),
        "\\" => Some('\\'),
        _ if seq.len() == 5 && seq.starts_with('u') => u32::from_str_radix(&seq[1..], 16)
            .ok()
            .and_then(char::from_u32),
        _ => None,
    }
}

/// A number as the user writes it: whole numbers without `.0`.
pub fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}
