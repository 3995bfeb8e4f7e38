/// Why an image could not be prepared, with the exit code that says so.
///
/// A struct around a kind, so new kinds do not break callers and tests can compare with `==`.
/// `message` never names the file: the caller knows which file it handed in and prefixes it.
public struct PrepError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The options contradict each other or the model (exit 64).
        case usage
        /// The input file does not exist or cannot be read (exit 66).
        case inputMissing
        /// Not a JPEG, PNG or WebP (exit 65).
        case unsupportedFormat
        /// Over the byte or pixel cap (exit 65).
        case overLimit
        /// The file ends early (exit 65).
        case truncated
        /// The data is damaged (exit 65).
        case corrupt
        /// The image shows a human face and the policy is `FacePolicy.refuse` (exit 65).
        case showsFace
        /// The output cannot be written or already exists (exit 73).
        case cannotWrite
        /// A bug or a libvips failure that no input should cause (exit 70).
        case internalFailure
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var exitStatus: ExitStatus {
        switch kind {
        case .usage: .usage
        case .inputMissing: .inputMissing
        case .unsupportedFormat, .overLimit, .truncated, .corrupt, .showsFace: .badInput
        case .cannotWrite: .cannotCreateOutput
        case .internalFailure: .internalFailure
        }
    }

    public var description: String { message }
}
