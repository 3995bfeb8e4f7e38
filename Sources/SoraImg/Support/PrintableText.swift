extension String {
    /// This text made safe to show on a terminal, for anything a server or a file supplied:
    /// control characters (terminal escapes, NUL), format characters (bidirectional overrides)
    /// and undecodable bytes become `?`, whitespace runs one space; at most `limit`
    /// characters, `…` marking a cut.
    public func printable(limit: Int) -> String {
        var cleaned = ""
        var lastWasSpace = true
        var appended = 0
        for scalar in unicodeScalars {
            if scalar.properties.isWhitespace {
                if !lastWasSpace { cleaned.append(" ") }
                lastWasSpace = true
                continue
            }
            lastWasSpace = false
            let printable = scalar != "\u{FFFD}" && !(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value))
                && scalar.properties.generalCategory != .format
            cleaned.unicodeScalars.append(printable ? scalar : "?")
            // Past the cut even after a trailing space is trimmed: the rest cannot show, so it
            // is not read (an answer may be megabytes).
            appended += 1
            if appended % max(1, limit) == 0 && cleaned.count > limit + 1 { break }
        }
        cleaned = cleaned.trimmingCharacters(in: .whitespaces)
        return cleaned.count > limit ? String(cleaned.prefix(limit - 1)) + "…" : cleaned
    }
}
