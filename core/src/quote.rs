//! Go's `%q` for the strings Kubernetes quotes in its messages
//! ([`go_quote`], `strconv.Quote`): `running "NodeAffinity" filter plugin`,
//! `unknown plugin "Foo"`, `Invalid value: "a b"`.
//!
//! Go escapes what does not print by `unicode.IsPrint`; [`is_print`] names
//! the non-printing characters instead of carrying Go's tables: the control
//! characters, the format characters (`Cf`), the separators other than the
//! ASCII space (`Zs`, `Zl`, `Zp`) and the private-use planes (`Co`). The one
//! difference from Go: an unassigned code point (`Cn`) prints as itself here,
//! where Go escapes it.
//!
//! (Examples: the `doc_examples` test below.)

use std::fmt::Write;

/// Whether `c` prints as itself: not a control, format, separator (other
/// than `' '`) or private-use character (see the module docs).
pub fn is_print(c: char) -> bool {
    let u = u32::from(c);
    if u < 0x7f {
        return u >= 0x20;
    }
    !matches!(
        u,
        // Cc
        0x7f..=0xa0
        // Cf
        | 0xad
        | 0x600..=0x605
        | 0x61c
        | 0x6dd
        | 0x70f
        | 0x890..=0x891
        | 0x8e2
        | 0x180e
        | 0x200b..=0x200f
        | 0x202a..=0x202e
        | 0x2060..=0x2064
        | 0x2066..=0x206f
        | 0xfeff
        | 0xfff9..=0xfffb
        | 0x110bd
        | 0x110cd
        | 0x13430..=0x1343f
        | 0x1bca0..=0x1bca3
        | 0x1d173..=0x1d17a
        | 0xe0001
        | 0xe0020..=0xe007f
        // Zs (U+00A0 above), Zl, Zp
        | 0x1680
        | 0x2000..=0x200a
        | 0x2028..=0x2029
        | 0x202f
        | 0x205f
        | 0x3000
        // Co
        | 0xe000..=0xf8ff
        | 0xf0000..=0xffffd
        | 0x100000..=0x10fffd
    )
}

/// Go's `strconv.Quote(s)` (`%q`): `"` and `\` escaped, `\a \b \f \n \r \t
/// \v`, other ASCII controls as `\xHH`, other non-printing characters as
/// `\uHHHH` or `\UHHHHHHHH`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        let u = u32::from(c);
        let _ = match c {
            '"' => out.write_str("\\\""),
            '\\' => out.write_str("\\\\"),
            '\u{7}' => out.write_str("\\a"),
            '\u{8}' => out.write_str("\\b"),
            '\u{c}' => out.write_str("\\f"),
            '\n' => out.write_str("\\n"),
            '\r' => out.write_str("\\r"),
            '\t' => out.write_str("\\t"),
            '\u{b}' => out.write_str("\\v"),
            _ if u < 0x20 || u == 0x7f => write!(out, "\\x{u:02x}"),
            _ if is_print(c) => out.write_char(c),
            _ if u < 0x10000 => write!(out, "\\u{u:04x}"),
            _ => write!(out, "\\U{u:08x}"),
        };
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_quote_escapes_as_strconv_quote() {
        assert_eq!(
            go_quote("a\u{7}\u{8}\u{c}\n\r\t\u{b}"),
            r#""a\a\b\f\n\r\t\v""#
        );
        assert_eq!(go_quote("\u{0}\u{1b}\u{7f}"), r#""\x00\x1b\x7f""#);
        assert_eq!(go_quote("\u{85}\u{a0}\u{200b}"), r#""\u0085\u00a0\u200b""#);
        assert_eq!(go_quote("\u{e0001}🙂"), "\"\\U000e0001🙂\"");
        assert_eq!(go_quote("say \"hi\" \\ é"), r#""say \"hi\" \\ é""#);
    }
}

#[cfg(test)]
mod doc_examples {
    use super::*;

    #[test]
    fn examples() {
        assert_eq!(go_quote("a\"b\u{1}\u{200b}é"), r#""a\"b\x01\u200bé""#);
    }
}
