/// Numbers from a server's JSON, brought into the range the program can use. A number in
/// JSON may be anything a double can hold (`1e300`, `-5`, `1.5`), and a hostile or broken
/// server must not be able to crash a conversion to `Int` or fail a whole answer with one field.
public enum ServerNumber {
    /// The latest Unix time accepted, 3000-01-01T00:00:00Z: any later time is a broken field
    /// (milliseconds sent as seconds, or filler), not a date.
    public static let latestTimestamp = 32_503_680_000

    /// A progress percentage: nil when absent or not finite, otherwise clamped to 0...100.
    public static func percent(_ value: Double?) -> Double? {
        guard let value, value.isFinite else { return nil }
        return min(max(value, 0), 100)
    }

    /// Unix seconds as an Int: nil when absent, not finite, negative or after the year 3000;
    /// a fraction (some gateways send sub-second times) is dropped.
    public static func timestamp(_ value: Double?) -> Int? {
        guard let value, value.isFinite, value >= 0, value < Double(latestTimestamp + 1) else { return nil }
        return Int(value.rounded(.down))
    }
}
