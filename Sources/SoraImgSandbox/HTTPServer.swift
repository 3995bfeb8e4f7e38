import Dispatch
import Foundation
import Synchronization

/// A small HTTP/1.1 server: one accept thread, one thread per connection, at most
/// `maximumConnections` at once (further clients wait in the listen backlog), keep-alive.
///
/// Threads rather than an event loop: a test server with a few clients does not need more, and
/// blocking reads keep the code short (DESIGN.md §10 on the build cost of swift-nio).
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
        client.setTimeouts(seconds: Self.idleSeconds)
        var reader = HTTPRequestReader(socket: client)
        while let next = reader.next() {
            switch next {
            case .failure(.connectionLost):
                return
            case .failure(let error):
                // The rest of the stream cannot be trusted: answer, then close.
                _ = client.send(handler.reply(toUnreadable: error).serialized(keepAlive: false))
                lingeringClose(client)
                return
            case .success(let request):
                switch handler.reply(to: request) {
                case .dropConnection:
                    client.shutdown()
                    return
                case .response(let response):
                    let keepAlive = request.keepAlive && state.withLock { $0.phase == .running }
                    guard client.send(response.serialized(keepAlive: keepAlive)), keepAlive else { return }
                }
            }
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
