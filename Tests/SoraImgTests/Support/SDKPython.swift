import Foundation
import Testing

/// The Python of the virtual environment scripts/test makes with the providers' official SDKs
/// (openai, openrouter, google-genai 2.34.0): `SORAIMG_SDK_PYTHON`, or the older
/// `SORAIMG_OPENAI_PYTHON`; nil when neither names an executable.
enum SDKPython {
    static let path: String? = {
        let environment = ProcessInfo.processInfo.environment
        return [environment["SORAIMG_SDK_PYTHON"], environment["SORAIMG_OPENAI_PYTHON"]].compactMap { $0 }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }()

    static let skipNote: Comment = "SORAIMG_SDK_PYTHON is not set (scripts/test sets it up): skipped"
}
