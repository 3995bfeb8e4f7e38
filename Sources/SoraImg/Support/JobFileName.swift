// Placeholder until the full rule lands.
import Foundation

public enum JobFileName {
    public static func stem(forID id: String) -> String {
        let last = id.split(separator: "/").last.map(String.init) ?? ""
        let allowed = last.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2D || $0 == 0x2E }
        if !last.isEmpty, last.utf8.count <= 128, allowed, !last.hasPrefix(".") { return last }
        return "video-" + Digest.sha256(Array(id.utf8)).prefix(12)
    }
}
