internal import CVips
internal import CVipsShims
import Foundation
import Synchronization

/// libvips' process-wide settings, chosen in one place and applied by one explicit call.
///
/// A program calls `start` once, before any image work (the soraimg commands that read images
/// do, first thing). Every library entry point that needs libvips also calls it, with the
/// standard settings, so a host that forgot still gets a working, safe libvips; the first call
/// decides.
public enum ImageProcessing {
    public struct Settings: Sendable, Equatable {
        /// glibc malloc arenas. libvips starts and ends worker threads per image, and glibc
        /// hands new threads new arenas (up to 8 per core), so a long batch's memory crept up:
        /// 100 MB after 10 photos, 131 MB after 360. One arena per core keeps it flat (89 MB).
        public var mallocArenas: Int
        /// Freed memory up to this many bytes stays in the heap instead of going back to the
        /// system, and blocks up to half of it come from the heap rather than their own
        /// mappings. A phone photo's decode buffer (6 to 10 MB) is over glibc's mmap threshold,
        /// so each photo's was mapped, faulted in page by page and unmapped again; from the
        /// heap it is reused: on 40 phone photos, 66,000 page faults became 23,000 and CPU time
        /// fell by 13%, for a batch peak of 136 MB instead of 107 (Benchmarks/README.md).
        public var keptFreeMemory: Int
        /// Operations libvips may cache; each prep runs its operations once, so a cache only
        /// holds memory.
        public var cachedOperations: Int

        /// What the soraimg commands use.
        public static var standard: Settings {
            Settings(mallocArenas: max(2, ProcessInfo.processInfo.activeProcessorCount), keptFreeMemory: 32 << 20, cachedOperations: 0)
        }
    }

    /// Starts libvips with `settings`; later calls return the first call's outcome and change
    /// nothing. Only the JPEG, PNG and WebP loaders are ever allowed: HEIF, TIFF, GIF, SVG,
    /// PDF and more are installed on a Debian system and would otherwise read any file handed
    /// to libvips.
    public static func start(_ settings: Settings = .standard) throws(PrepError) {
        try outcome.withLock { outcome in
            if outcome == nil { outcome = Vips.start(settings) }
            return outcome!
        }.get()
    }

    private static let outcome = Mutex<Result<Void, PrepError>?>(nil)

    /// Keeps libvips from loading its optional modules when it starts. libvips loads every
    /// module in its library folder (on Debian ImageMagick, PDF, OpenSlide, HEIF and JPEG XL,
    /// with their libraries): 14 ms a process and code no input may reach, for loaders soraimg
    /// blocks anyway. It finds that folder under `VIPSHOME` when set, so this points `VIPSHOME`
    /// at a folder with no modules; one the user set is left alone.
    ///
    /// Changing the environment is safe only while no other thread may read it: call this
    /// first thing in `main`, before `start`.
    public static func skipOptionalModules() {
        guard getenv("VIPSHOME") == nil else { return }
        setenv("VIPSHOME", "/nonexistent/soraimg-loads-no-libvips-modules", 1)
    }
}

/// libvips itself: started once, messages read per thread, warnings routed.
enum Vips {
    fileprivate static func start(_ settings: ImageProcessing.Settings) -> Result<Void, PrepError> {
        guard vips_init("soraimg") == 0 else {
            return .failure(PrepError(.internalFailure, "libvips failed to start: \(takeErrorMessage())"))
        }
        // Block every loader, then allow the three the video services accept; their file,
        // buffer and source subclasses inherit the setting.
        vips_operation_block_set("VipsForeignLoad", 1)
        for allowed in ["VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadWebp"] {
            vips_operation_block_set(allowed, 0)
        }
        vips_cache_set_max(Int32(settings.cachedOperations))
        // Before any parallel work: without it, about one process in 400 that opened two WebPs
        // at once as its first images refused one of them, with no message.
        guard CVipsShims_warm_up_codecs() == 0 else {
            return .failure(PrepError(.internalFailure, "libvips could not encode and decode a test image: \(takeErrorMessage())"))
        }
        _ = CVipsShims_limit_malloc_arenas(Int32(settings.mallocArenas))
        _ = CVipsShims_keep_freed_memory(Int32(settings.keptFreeMemory / 2), Int32(settings.keptFreeMemory))
        installWarningRoute()
        running.store(true, ordering: .releasing)
        return .success(())
    }

    /// Frees what libvips keeps for the calling thread. libvips asks threads it did not make to
    /// call this before they end (its own workers do it themselves); a batch's job threads
    /// prepare photos and then end.
    static func threadWillEnd() {
        guard running.load(ordering: .acquiring) else { return }
        vips_thread_shutdown()
    }

    /// Whether libvips started (reading `started` would start it).
    private static let running = Atomic<Bool>(false)

    /// How many threads libvips gives each image. Set before a batch to split the cores
    /// between parallel images and libvips' own workers.
    static func setThreadsPerImage(_ count: Int) {
        vips_concurrency_set(Int32(max(1, count)))
    }

    /// Where the calling thread's messages start in libvips' error buffer, by thread.
    ///
    /// The buffer is one for the whole process, and parallel images write to it. Clearing it
    /// per image (as soraimg once did) could wipe another image's fresh error before that
    /// image read it ("libvips gave no reason"), and reading it whole could head one image's
    /// error with another's warning. So each thread notes where its image's messages begin
    /// (`markErrors`) and reads only what came after; the buffer is cleared only when it grows
    /// large, since libvips stops recording once it is full.
    private static let errorStarts = Mutex<[UInt: Int]>([:])

    /// Notes where the calling thread's next messages will start; called before an image is
    /// opened.
    static func markErrors() {
        let thread = UInt(pthread_self())
        errorStarts.withLock { starts in
            var length = vips_error_buffer().map { strlen($0) } ?? 0
            if length > 4096 {
                vips_error_clear()
                length = 0
                // Every thread's mark now points past the end: read from the start instead.
                starts = [:]
            }
            starts[thread] = length
        }
    }

    /// What libvips wrote since the calling thread's `markErrors`, trimmed; a fallback when
    /// nothing was written.
    static func takeErrorMessage() -> String {
        let fallback = "libvips gave no reason"
        let thread = UInt(pthread_self())
        let text: [UInt8] = errorStarts.withLock { starts in
            // Read in place, never `vips_error_buffer_copy`: that also empties the buffer, and
            // with it the error another thread's image wrote and has not read yet.
            guard let buffer = vips_error_buffer() else { return [] }
            let all = Array(UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: strlen(buffer)))
            let start = starts[thread].map { $0 <= all.count ? $0 : 0 } ?? 0
            starts[thread] = all.count
            return Array(all[start...])
        }
        let message = String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return message.isEmpty ? fallback : message
    }

    // MARK: Warnings

    private static let warningSink = Mutex<(@Sendable (String) -> Void)?>(nil)

    /// Sends libvips' warnings (GLib log domain "VIPS") to `handler` instead of raw stderr lines.
    /// Without a handler they are dropped: soraimg reports failures itself.
    static func setWarningHandler(_ handler: (@Sendable (String) -> Void)?) {
        warningSink.withLock { $0 = handler }
    }

    private static func installWarningRoute() {
        let levels = GLogLevelFlags(
            rawValue: G_LOG_LEVEL_WARNING.rawValue | G_LOG_LEVEL_MESSAGE.rawValue
                | G_LOG_LEVEL_INFO.rawValue | G_LOG_LEVEL_DEBUG.rawValue)
        g_log_set_handler("VIPS", levels, { _, _, message, _ in
            guard let message else { return }
            let text = String(cString: message)
            Vips.warningSink.withLock { $0 }?(text)
        }, nil)
    }
}

