import Dispatch
import Foundation
import Synchronization

/// A small HTTP/1.1 server: one accept thread, one thread per connection, at most
/// `maximumConnections` at once (further clients wait in the listen backlog), keep-alive.
///
/// Threads rather than an event loop: a test server with a few clients does not need more, and
/// blocking reads keep the code short, and a swift-nio server would add minutes to every build on two cores, sanitizer and fuzzing builds included.
final class HTTPServer: Sendable {
    static let maximumConnections = 64
    /// How long a connection may sit idle (or stall mid-request) before it is closed.
    static let idleSeconds = 30

    private let handler: any HTTPHandler
    private let state = Mutex(State())
    private let slots = DispatchSemaphore(value: HTTPServer.maximumConnections)
    /// Entered by the accept thread and by each connection thread; `stop()` waits on it.
    private let threads = DispatchGroup()

    private struct State {
        /// Connections accepted so far; each gets the next number.
        var accepted = 0
        var phase = Phase.idle
        var listener: Socket?
        var connections: [ObjectIdentifier: Socket] = [:]
    }

    private enum Phase { case idle, running, stopped }

    init(handler: any HTTPHandler) {
        self.handler = handler
    }

    /// Binds and listens, then serves on background threads; returns the bound port.
    func start(on address: LoopbackAddress, port: Int) throws(SandboxError) -> Int {
        let listener = try state.withLock { (state) throws(SandboxError) -> Socket in
            guard state.phase == .idle else {
                throw SandboxError(.invalidState, "the sandbox server was already started; make a new one to serve again")
            }
            let listener = try Socket.listening(on: address, port: port)
            state.listener = listener
            state.phase = .running
            return listener
        }
        let boundPort = try listener.localPort()
        threads.enter()
        Thread.detachNewThread { [self] in
            acceptLoop(listener)
            threads.leave()
        }
        return boundPort
    }

    /// Stops accepting, ends open connections, and waits (up to a few seconds) for their threads.
    func stop() {
        let sockets = state.withLock { state -> [Socket] in
            guard state.phase == .running else {
                state.phase = .stopped
                return []
            }
            state.phase = .stopped
            defer { state.listener = nil }
            return [state.listener].compactMap { $0 } + Array(state.connections.values)
        }
        guard !sockets.isEmpty else { return }
        sockets.forEach { $0.shutdown() }
        // Wakes the accept thread if it is waiting for a free slot.
        slots.signal()
        _ = threads.wait(timeout: .now() + 5)
    }

    private func acceptLoop(_ listener: Socket) {
        while true {
            slots.wait()
            switch listener.accept() {
            case .closed:
                slots.signal()
                return
            case .retry:
                slots.signal()
            case .client(let client):
                let admitted = state.withLock { state in
                    guard state.phase == .running else { return false }
                    state.connections[ObjectIdentifier(client)] = client
                    return true
                }
                guard admitted else {
                    slots.signal()
                    return
                }
                threads.enter()
                Thread.detachNewThread { [self] in
                    serve(client)
                    state.withLock { _ = $0.connections.removeValue(forKey: ObjectIdentifier(client)) }
                    slots.signal()
                    threads.leave()
                }
            }
        }
    }

    /// Answers requests on one connection until either side closes it.
    private func serve(_ client: Socket) {
        let connection = state.withLock { state in
            state.accepted += 1
            return state.accepted
        }
        client.setTimeouts(seconds: Self.idleSeconds)
        var reader = HTTPRequestReader(socket: client)
        let handler = handler
        reader.abandonsBody = { handler.abandonsBody(method: $0, path: $1) }
        while let next = reader.next() {
            switch next {
            case .failure(.connectionLost):
                return
            case .failure(.abandoned):
                // No shutdown first: that would send an orderly end of stream before the reset.
                client.resetOnClose()
                return
            case .failure(let error):
                // The rest of the stream cannot be trusted: answer, then close.
                _ = client.send(handler.reply(toUnreadable: error).serialized(keepAlive: false))
                lingeringClose(client)
                return
            case .success(var request):
                request.connection = connection
                switch handler.reply(to: request) {
                case .dropConnection:
                    client.shutdown()
                    return
                case .cutShort(let response, let count, let declaresLength):
                    let head = response.serializedHead(contentLength: declaresLength ? response.body.count : nil, keepAlive: false)
                    _ = client.send(head + response.body.prefix(count))
                    client.shutdownWrite()
                    lingeringClose(client)
                    return
                case .trickle(let response, let bytesPerSecond):
                    trickle(response, bytesPerSecond: bytesPerSecond, to: client)
                    return
                case .endless(let response, let declaredLength):
                    stream(response, declaredLength: declaredLength, to: client)
                    return
                case .silence:
                    waitForPeerToLeave(client)
                    return
                case .response(let response):
                    let keepAlive = request.keepAlive && state.withLock { $0.phase == .running }
                    guard client.send(response.serialized(keepAlive: keepAlive)), keepAlive else { return }
                }
            }
        }
    }

    /// The head, then filler until the client hangs up, the server stops, or ten minutes pass.
    /// A client that stops reading holds the send for at most `idleSeconds` each time.
    private func stream(_ response: HTTPResponse, declaredLength: Int?, to client: Socket) {
        guard client.send(response.serializedHead(contentLength: declaredLength, keepAlive: false) + response.body) else { return }
        let filler = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
        let deadline = ContinuousClock.now + .seconds(600)
        while ContinuousClock.now < deadline, state.withLock({ $0.phase == .running }), client.send(filler) {}
    }

    /// The head, then the body a slice at a time, each slice a tenth of a second's worth (one
    /// byte at a time below ten bytes a second), until it is all sent, the client hangs up or
    /// the server stops.
    private func trickle(_ response: HTTPResponse, bytesPerSecond: Int, to client: Socket) {
        guard client.send(response.serializedHead(contentLength: response.body.count, keepAlive: false)) else { return }
        let slice = max(1, bytesPerSecond / 10)
        let interval = Double(slice) / Double(bytesPerSecond)
        var offset = 0
        var due = ContinuousClock.now
        while offset < response.body.count, state.withLock({ $0.phase == .running }) {
            let end = min(response.body.count, offset + slice)
            guard client.send(Array(response.body[offset..<end])) else { return }
            offset = end
            // Paced from the start, so slow sends do not add up to a slower rate than asked.
            due += .seconds(interval)
            let wait = due - .now
            if offset < response.body.count && wait > .zero { Thread.sleep(forTimeInterval: wait / .seconds(1)) }
        }
    }

    /// Keeps a connection open without answering until the client closes it, the server stops,
    /// or ten minutes pass; whatever the client sends meanwhile is read and dropped.
    private func waitForPeerToLeave(_ client: Socket) {
        client.setTimeouts(seconds: 1)
        let deadline = ContinuousClock.now + .seconds(600)
        var scratch = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline, state.withLock({ $0.phase == .running }) {
            errno = 0
            let received = scratch.withUnsafeMutableBytes { recv(client.descriptor, $0.baseAddress, $0.count, 0) }
            if received > 0 { continue }
            // 0 is the client's end of stream; a timeout (EAGAIN) just means it is still waiting.
            guard received < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else { return }
        }
    }

    /// Closing with unread request bytes makes the kernel send a reset, which can destroy the
    /// error response before the client reads it; so stop sending, then drain for a moment.
    private func lingeringClose(_ client: Socket) {
        client.shutdownWrite()
        client.setTimeouts(seconds: 1)
        let deadline = ContinuousClock.now + .seconds(2)
        var scratch: [UInt8] = []
        while ContinuousClock.now < deadline, client.receive(into: &scratch, upTo: 64 * 1024) {
            scratch.removeAll(keepingCapacity: true)
        }
    }
}
