//! A lenient JSON scalar: whatever a field holds, read without failing, so that type errors
//! become problems with a path instead of aborting the whole parse.

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

use crate::error::Problem;
use crate::text::clip;

/// What a JSON field held.
#[derive(Debug, Clone)]
pub enum Field<'a> {
    /// A string (borrowed from the input when it has no escapes).
    Str(Cow<'a, str>),
    /// A number with a fraction or an exponent, or an integer beyond 64 bits.
    Num(f64),
    /// An integer, exactly as written (ids beyond 2^53 keep their digits).
    Int(i128),
    /// Something else: `null`, `true`, `an array`, `an object`.
    Other(&'static str),
}

impl<'de> Deserialize<'de> for Field<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FieldVisitor)
    }
}

struct FieldVisitor;

impl<'de> Visitor<'de> for FieldVisitor {
    type Value = Field<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Field::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Field::Str(Cow::Owned(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Field::Str(Cow::Owned(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Field::Num(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Field::Int(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Field::Int(v.into()))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Field::Other(if v { "true" } else { "false" }))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Field::Other("null"))
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Field::Other("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Field::Other("an array"))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Field::Other("an object"))
    }
}

/// A number id as text: its decimal form, unless it is a whole number too large for its
/// digits to have survived (beyond 2^53 and not read as a 64-bit integer).
pub(crate) fn number_id(v: f64) -> Option<String> {
    (!(v.fract() == 0.0 && v.abs() >= 9007199254740992.0)).then(|| crate::io::fmt_value(v))
}

/// The problem of an integer id beyond 64 bits.
pub(crate) fn too_large_id(place: String, v: f64) -> Problem {
    Problem::new(
        place,
        format!("the integer id {v:e} is too large to keep its digits"),
    )
    .hint("write ids as strings (\"12345678901234567890123\"): ids are text")
}

impl<'a> Field<'a> {
    /// What a parsed JSON value holds, as a field (strings borrowed from it).
    pub fn of(v: &'a serde_json::Value) -> Self {
        use serde_json::Value;
        match v {
            Value::String(s) => Field::Str(s.as_str().into()),
            Value::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => Field::Int(i.into()),
                (_, Some(u)) => Field::Int(u.into()),
                _ => Field::Num(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::Null => Field::Other("null"),
            Value::Bool(_) => Field::Other("a boolean"),
            Value::Array(_) => Field::Other("an array"),
            Value::Object(_) => Field::Other("an object"),
        }
    }

    /// The field as a string, taken out without a copy when it was borrowed from the input;
    /// or a problem at `place`.
    pub fn into_string(self, place: impl Fn() -> String) -> Result<Cow<'a, str>, Problem> {
        match self {
            Field::Str(s) => Ok(s),
            other => Err(Problem::new(
                place(),
                format!("must be a string, found {}", other.describe()),
            )),
        }
    }

    fn describe(&self) -> String {
        match self {
            Field::Str(s) => format!("the string \"{}\"", clip(s)),
            Field::Num(v) => format!("the number {v}"),
            Field::Int(v) => format!("the number {v}"),
            Field::Other(k) => (*k).to_string(),
        }
    }

    /// The field as a number, or a problem at `place` (made only for a problem).
    /// `-0` reads as 0: a value is written without its sign when it is zero, so a negative
    /// zero would not read back to the same bits.
    pub fn number(&self, place: impl Fn() -> String) -> Result<f64, Problem> {
        match self {
            Field::Num(v) => Ok(*v + 0.0),
            Field::Int(v) => Ok(*v as f64),
            Field::Str(s) => {
                let t = s.trim();
                let hint = if matches!(
                    t.to_ascii_lowercase().as_str(),
                    "nan" | "inf" | "-inf" | "infinity" | "-infinity"
                ) {
                    "NaN and infinite values are not allowed: remove the entry or give its real value"
                } else {
                    "write numbers without quotes"
                };
                Err(Problem::new(
                    place(),
                    format!("must be a number, found {}", self.describe()),
                )
                .hint(hint))
            }
            Field::Other("null") => Err(Problem::new(
                place(),
                format!("must be a number, found {}", self.describe()),
            )
            .hint("pandas and NetworkX write a missing value (NaN) as null: drop the entry or give its value")),
            _ => Err(Problem::new(
                place(),
                format!("must be a number, found {}", self.describe()),
            )),
        }
    }

    /// The field as a string, or a problem at `place`. With `numbers_ok`, a number becomes
    /// its decimal text (NetworkX node ids may be integers).
    pub fn string(
        &self,
        place: impl Fn() -> String,
        numbers_ok: bool,
    ) -> Result<Cow<'_, str>, Problem> {
        match self {
            Field::Str(s) => Ok(Cow::Borrowed(s)),
            Field::Int(v) if numbers_ok => Ok(Cow::Owned(v.to_string())),
            Field::Num(v) if numbers_ok => number_id(*v)
                .map(Cow::Owned)
                .ok_or_else(|| too_large_id(place(), *v)),
            _ => Err(Problem::new(
                place(),
                format!("must be a string, found {}", self.describe()),
            )),
        }
    }

    /// The field as a year (a whole number from 1 to 9999).
    pub fn year(&self, place: impl Fn() -> String) -> Result<u16, Problem> {
        let v = self.number(&place)?;
        if v.fract() == 0.0 && (1.0..=9999.0).contains(&v) {
            Ok(v as u16)
        } else {
            Err(Problem::new(
                place(),
                format!("year must be a whole number from 1 to 9999, found {v}"),
            ))
        }
    }
}

/// Turn a serde_json syntax error into a problem with line, column and a hint.
pub fn syntax_problem(e: &serde_json::Error, bytes: &[u8]) -> Problem {
    let place = format!("line {}, column {}", e.line(), e.column());
    let msg = e.to_string();
    let rule = match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    // A NUL byte is never JSON (not white space, not raw in a string): the parse stops at the
    // first one, or before it.
    let off = line_col_offset(bytes, e.line(), e.column()).unwrap_or(bytes.len());
    if let Some(at) = memchr::memchr(0, &bytes[..(off + 1).min(bytes.len())]) {
        let (line, col) = super::text::line_col(bytes, at);
        let more = memchr::memchr_iter(0, &bytes[at + 1..]).count();
        return super::text::nul_problem(format!("line {line}, column {col}"), more);
    }
    if rule.starts_with(DUPLICATE) {
        return Problem::new(place, rule).hint(
            "give each key once per object: JSON readers differ in which of the two they keep",
        );
    }
    if e.is_eof() {
        return Problem::new(
            place,
            format!("truncated JSON: the file ends inside the document ({rule})"),
        )
        .hint("the file was cut short; write or download it again");
    }
    // Python's json.dump writes NaN and Infinity, which are not JSON.
    let off = line_col_offset(bytes, e.line(), e.column());
    let rest = off.map(|o| &bytes[o.saturating_sub(1)..]).unwrap_or(&[]);
    for tok in [&b"NaN"[..], b"Infinity", b"-Infinity"] {
        if rest.starts_with(tok) || rest.get(1..).is_some_and(|r| r.starts_with(tok)) {
            return Problem::new(place, format!("{} is not a JSON number", String::from_utf8_lossy(tok)))
                .hint("NaN and infinite values are not allowed (Python writes them unless json.dump(..., allow_nan=False)); remove the entry or give its real value");
        }
    }
    if rule.contains("number out of range") {
        return Problem::new(
            place,
            "number out of range: too large to be a finite value (such as 1e999)",
        )
        .hint("values must be finite numbers; give the real value or remove the entry");
    }
    let hint = if rule.contains("key must be a string") {
        "object keys are written in double quotes (\"value\", not value or 'value')"
    } else if rule.contains("trailing comma") {
        "remove the comma after the last item of a list or object"
    } else {
        "fix the JSON at this line and column (python3 -m json.tool FILE shows the same spot)"
    };
    Problem::new(place, format!("invalid JSON: {rule}")).hint(hint)
}

fn line_col_offset(bytes: &[u8], line: usize, col: usize) -> Option<usize> {
    let mut l = 1;
    let mut start = 0;
    if line > 1 {
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                l += 1;
                if l == line {
                    start = i + 1;
                    break;
                }
            }
        }
        if l != line {
            return None;
        }
    }
    Some((start + col).min(bytes.len()))
}

/// How a repeated object key is reported (the start of the message).
pub(crate) const DUPLICATE: &str = "duplicate key ";

/// The message of a key given twice in one object: `duplicate key "value"` (the key clipped).
pub(crate) fn duplicate_key(k: &str) -> String {
    format!("{DUPLICATE}\"{}\"", clip(k))
}

/// Whether `e` reports a repeated object key.
pub(crate) fn is_duplicate(e: &serde_json::Error) -> bool {
    e.to_string().starts_with(DUPLICATE)
}

/// Parse JSON into a value, refusing an object that gives the same key twice ([`Strict`]).
pub(crate) fn strict_value(bytes: &[u8]) -> Result<serde_json::Value, serde_json::Error> {
    serde_json::from_slice::<Strict>(bytes).map(|s| s.0)
}

/// A JSON value that refuses an object holding the same key twice. serde_json's own `Value`
/// keeps the last of the two without a word; a file with a repeated `"value"` or
/// `"final_demand"` key is ambiguous, so tradenet says where it is.
pub(crate) struct Strict(pub serde_json::Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Strict;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Strict, E> {
        Ok(Strict(v.into()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Strict, E> {
        Ok(Strict(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Strict, E> {
        Ok(Strict(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Strict, E> {
        Ok(Strict(serde_json::Number::from_f64(v).map_or(
            serde_json::Value::Null,
            serde_json::Value::Number,
        )))
    }
    fn visit_str<E>(self, v: &str) -> Result<Strict, E> {
        Ok(Strict(v.into()))
    }
    fn visit_string<E>(self, v: String) -> Result<Strict, E> {
        Ok(Strict(v.into()))
    }
    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict(serde_json::Value::Null))
    }
    fn visit_none<E>(self) -> Result<Strict, E> {
        Ok(Strict(serde_json::Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Strict, D::Error> {
        Strict::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(Strict(x)) = seq.next_element()? {
            v.push(x);
        }
        Ok(Strict(serde_json::Value::Array(v)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        let mut m = serde_json::Map::new();
        while let Some(k) = map.next_key::<String>()? {
            if m.contains_key(&k) {
                return Err(serde::de::Error::custom(duplicate_key(&k)));
            }
            let Strict(v) = map.next_value()?;
            m.insert(k, v);
        }
        Ok(Strict(serde_json::Value::Object(m)))
    }
}
