import Foundation

extension HTTPResponse {
    /// Whether the answer is a web page (a proxy's or a login page) rather than an API answer:
    /// by its declared type, or by how it starts when the type is missing or wrong.
    public var isHTML: Bool {
        if header("content-type")?.lowercased().contains("text/html") == true { return true }
        let start = String(decoding: body.prefix(64), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return start.hasPrefix("<!doctype html") || start.hasPrefix("<html")
    }

    /// A short, printable piece of the body for an error message: for an HTML page its title,
    /// otherwise the start of the text. Control characters (terminal escapes, NUL) and bytes
    /// that are not UTF-8 become `?` and whitespace runs one space, so a hostile answer
    /// cannot rewrite the user's terminal; at most `limit` characters, `…` marking a cut.
    /// `redact` (the API key out) runs on the whole body before anything is cut: a cut through
    /// an echoed key would leave a part of it that no longer matches. Nil for an empty body.
    public func excerpt(limit: Int = 120, redacting redact: (String) -> String) -> String? {
        var text = redact(String(decoding: body, as: UTF8.self))
        if isHTML, let title = Self.htmlTitle(in: text) { text = title }
        let cleaned = text.printable(limit: limit)
        return cleaned.isEmpty ? nil : cleaned
    }

    /// The text of the first `<title>`, if the page has one.
    private static func htmlTitle(in page: String) -> String? {
        guard let open = page.range(of: "<title", options: .caseInsensitive),
            let close = page.range(of: ">", range: open.upperBound..<page.endIndex),
            let end = page.range(of: "</title>", options: .caseInsensitive, range: close.upperBound..<page.endIndex)
        else { return nil }
        let title = page[close.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        return title.isEmpty ? nil : title
    }
}
