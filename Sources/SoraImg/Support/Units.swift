/// Option values with units, read by one rule for every command: byte sizes, pixel counts,
/// durations and colours.
public enum Units {
    /// A byte size: a plain number, or one with KB, MB, GB (powers of 1000) or KiB, MiB, GiB
    /// (powers of 1024); `B` alone is bytes. Case does not matter, spaces are not allowed.
    public static func bytes(_ text: String) -> Int? {
        let units: [(String, Double)] = [
            ("kib", 1024), ("mib", 1_048_576), ("gib", 1_073_741_824),
            ("kb", 1000), ("mb", 1_000_000), ("gb", 1_000_000_000), ("b", 1),
        ]
        return scaled(text, units: units)
    }

    /// A pixel count: a plain number, or one with `M` (a million pixels, as in "megapixels").
    public static func pixels(_ text: String) -> Int? {
        scaled(text, units: [("m", 1_000_000)])
    }

    /// A duration in seconds: `90s`, `30m`, `2h`, `500ms`, or plain seconds.
    public static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let lowered = text.lowercased()
        for (suffix, scale) in units where lowered.hasSuffix(suffix) {
            guard let value = number(lowered.dropLast(suffix.count)) else { return nil }
            return value * scale
        }
        return number(Substring(lowered))
    }

    /// The colour names soraimg knows, with their sRGB values (the CSS ones).
    public static let colourNames: [(name: String, colour: RGBColour)] = [
        ("white", .white), ("black", .black),
        ("grey", RGBColour(red: 128, green: 128, blue: 128)), ("gray", RGBColour(red: 128, green: 128, blue: 128)),
        ("red", RGBColour(red: 255, green: 0, blue: 0)), ("green", RGBColour(red: 0, green: 128, blue: 0)),
        ("blue", RGBColour(red: 0, green: 0, blue: 255)),
    ]

    /// A background: a colour name from `colourNames`, `#rrggbb`, or `blur`.
    public static func background(_ text: String) -> Background? {
        if let named = colourNames.first(where: { $0.name == text.lowercased() }) { return .colour(named.colour) }
        return Background(parsing: text)
    }

    /// The words `background(_:)` takes, for help and suggestions.
    public static var backgroundWords: [String] { colourNames.map(\.name) + ["blur"] }

    private static func scaled(_ text: String, units: [(String, Double)]) -> Int? {
        let lowered = text.lowercased()
        var scale = 1.0
        var digits = Substring(lowered)
        if let unit = units.first(where: { lowered.hasSuffix($0.0) }) {
            scale = unit.1
            digits = digits.dropLast(unit.0.count)
        }
        guard let value = number(digits) else { return nil }
        let total = (value * scale).rounded()
        guard total < Double(Int.max) else { return nil }
        return Int(total)
    }

    /// A non-negative decimal number, digits only (no signs, exponents, `inf` or `nan`).
    private static func number(_ text: Substring) -> Double? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), text.filter({ $0 == "." }).count <= 1,
            text != "."
        else { return nil }
        return Double(text)
    }
}
