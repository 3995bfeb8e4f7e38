import Foundation
import Synchronization

/// fal storage as the sandbox keeps it: files uploaded by either protocol of fal's clients
/// (initiate + signed PUT, or a CDN token and a direct POST), the signed uploads still open, the
/// CDN tokens handed out, and the requests cancelled.
final class FalStorage: Sendable {
    struct File: Sendable {
        let name: String
        let contentType: String
        let bytes: [UInt8]
        /// Whether the signed PUT carried an `Authorization` header; nil for a direct upload.
        let authorized: Bool?
    }

    struct Pending: Sendable {
        let fileID: String
        let name: String
        let contentType: String
    }

    private struct State {
        var files: [String: File] = [:]
        var pending: [String: Pending] = [:]
        var tokens: Set<String> = []
        var cancelled: Set<String> = []
    }

    private let state = Mutex(State())

    /// A fresh id for a file or a signed upload: lowercase hex, which never needs escaping.
    static func newID() -> String {
        (0..<16).map { _ in String(UInt8.random(in: 0...255), radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
    }

    /// Opens a signed upload; returns its token and the file's id.
    func open(name: String, contentType: String) -> (token: String, fileID: String) {
        let token = Self.newID()
        let fileID = Self.newID()
        state.withLock { $0.pending[token] = Pending(fileID: fileID, name: name, contentType: contentType) }
        return (token, fileID)
    }

    /// Completes a signed upload (once); nil for a token not handed out or used already.
    func complete(token: String, bytes: [UInt8], contentType: String?, authorized: Bool) -> Pending? {
        state.withLock { state in
            guard let pending = state.pending.removeValue(forKey: token) else { return nil }
            state.files[pending.fileID] = File(
                name: pending.name, contentType: contentType ?? pending.contentType, bytes: bytes, authorized: authorized)
            return pending
        }
    }

    func store(_ file: File) -> String {
        let id = Self.newID()
        state.withLock { $0.files[id] = file }
        return id
    }

    func file(_ id: String) -> File? { state.withLock { $0.files[id] } }

    func issueToken() -> String {
        let token = Self.newID()
        state.withLock { _ = $0.tokens.insert(token) }
        return token
    }

    func isToken(_ token: String) -> Bool { state.withLock { $0.tokens.contains(token) } }

    func cancel(_ id: String) { state.withLock { _ = $0.cancelled.insert(id) } }

    func isCancelled(_ id: String) -> Bool { state.withLock { $0.cancelled.contains(id) } }
}
