/// Escaping of untrusted text (everything that comes from a spec) for each output format.
///
/// The page writers escape every value before it reaches a template and render templates in
/// Mustache's TEXT content type, so `{{x}}` and `{{{x}}}` print the same, already escaped,
/// text: a user template cannot turn escaping off by accident.
public enum ReportEscaping {
    /// HTML text and attribute-value escaping: `&`, `<`, `>`, `"` and `'` become entities
    /// (the OWASP rule for element content and quoted attributes).
    public static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Inline Markdown (CommonMark/GFM): backslash-escapes the ASCII punctuation that can
    /// start markup (`\ ` `` ` `` `*` `_` `[` `]` `<` `>` `|` `#` `!` `&`) and folds line
    /// breaks into spaces, so the text stays one inline run and one table cell.
    /// CommonMark §2.4: any ASCII punctuation may be backslash-escaped.
    public static func markdownInline(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "!", "&":
                out.append("\\")
                out.append(character)
            case _ where character.isNewline:
                out.append(" ")
            default:
                out.append(character)
            }
        }
        return out
    }

    /// A backtick fence longer than the longest run of backticks in `text` (at least three),
    /// so a fenced code block holding `text` cannot be closed early (CommonMark §4.5).
    public static func markdownFence(for text: String) -> String {
        String(repeating: "`", count: max(3, longestBacktickRun(in: text) + 1))
    }

    /// The length of the longest run of consecutive backticks in `text`.
    static func longestBacktickRun(in text: String) -> Int {
        var longest = 0
        var run = 0
        for scalar in text.unicodeScalars {
            if scalar == "`" {
                run += 1
                longest = max(longest, run)
            } else {
                run = 0
            }
        }
        return longest
    }

    /// Percent-encodes a relative file path for use in `href`/`src` and Markdown links: only
    /// unreserved characters (RFC 3986 §2.3) and `/` pass through, so `:` cannot start a
    /// scheme (`javascript:`) and spaces or parentheses cannot break a Markdown link.
    public static func urlPath(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                out.append("%")
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
