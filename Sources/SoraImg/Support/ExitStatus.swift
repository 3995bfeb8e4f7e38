/// The sysexits-style codes every soraimg command returns (listed in the README).
public enum ExitStatus: Int32, Sendable, Codable {
    case ok = 0
    /// The service failed the job (moderation and the like).
    case jobFailed = 1
    case usage = 64
    case badInput = 65
    case inputMissing = 66
    case serviceUnavailable = 69
    case internalFailure = 70
    case cannotCreateOutput = 73
    case temporaryFailure = 75
    case authRefused = 77
}
