/// Why the sandbox could not be configured or started.
///
/// A struct around a kind, so new kinds do not break callers and tests can compare with `==`.
public struct SandboxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong, as a value that can gain members without breaking a `switch`.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        /// A `--fault` value that does not parse.
        public static let invalidFault = Kind(name: "invalid fault")
        /// A host, port, key or job time the sandbox refuses.
        public static let invalidConfiguration = Kind(name: "invalid configuration")
        /// The operating system refused to open, bind or listen on the socket.
        public static let socketFailure = Kind(name: "socket failure")
        /// `start()` was called on a server that is already running or was stopped.
        public static let invalidState = Kind(name: "invalid state")

        public var description: String { name }
    }

    public let kind: Kind
    /// What happened, naming the value at fault; never contains the API key.
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
