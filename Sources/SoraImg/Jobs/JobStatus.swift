import Foundation

/// The one status set every provider's job is mapped to. A provider's own word is kept beside
/// it (`JobSnapshot.providerStatus`) for people and scripts that want it.
public enum JobStatus: String, Sendable, Codable, CaseIterable {
    case queued
    case inProgress = "in_progress"
    case completed
    case failed
    case cancelled
    case expired

    /// Nothing more will happen to a job in this state.
    public var isFinal: Bool {
        switch self {
        case .queued, .inProgress: false
        case .completed, .failed, .cancelled, .expired: true
        }
    }
}

/// A provider's job as the engine sees it, whatever the dialect: every string in it came from
/// a server, so it is made printable before it is kept, and every number is range-checked.
public struct JobSnapshot: Sendable, Equatable {
    /// The provider's own handle for the job, as given (it may contain `/`, as operation names
    /// do); a file name made from it goes through `JobFileName`.
    public var id: String
    /// nil when the provider said something outside the known set: shown verbatim and treated
    /// as still running until the deadline.
    public var status: JobStatus?
    /// The service's own word for the status, printable.
    public var providerStatus: String
    /// 0...100, when the service says.
    public var progress: Double?
    public var createdAt: Date?
    public var expiresAt: Date?
    /// Why a job failed, or the error a finished job carries.
    public var failure: Failure?
    /// Where the video is, for a provider whose finished status names it (nil for one whose
    /// content the id addresses).
    public var videoSource: VideoSource?
    public var model: String?
    public var prompt: String?
    public var size: String?
    public var seconds: String?
    public var remixedFrom: String?
    /// US dollars the service says the job cost, when it says (OpenRouter's `usage.cost`).
    public var cost: Double?

    public struct Failure: Sendable, Equatable {
        public var code: String?
        public var message: String?

        public init(code: String?, message: String?) {
            self.code = code
            self.message = message
        }
    }

    public init(id: String, status: JobStatus?, providerStatus: String) {
        self.id = id
        self.status = status
        self.providerStatus = providerStatus
    }

    /// Nothing more will happen to it.
    public var isFinished: Bool { status?.isFinal ?? false }

    /// Finished with a video to download: completed and carrying no error. A service that
    /// reports `completed` with an error has not made a usable video.
    public var hasVideo: Bool { status == .completed && failure == nil }

    /// The id as it may be shown on a terminal.
    public var displayID: String { id.printable(limit: 200) }
}
