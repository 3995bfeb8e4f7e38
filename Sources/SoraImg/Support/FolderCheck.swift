import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Why an output folder cannot be made, in soraimg's words: asked before anything is paid
/// for, and used to explain a failure that happened anyway.
public enum FolderCheck {
    /// The reason `folder` (and any missing parents) cannot be created, naming the path at
    /// fault; nil when it exists as a folder or looks creatable.
    public static func whyNotCreatable(_ folder: String) -> String? {
        var path = folder.isEmpty ? "." : folder
        while true {
            var info = stat()
            if stat(path, &info) == 0 {
                if info.st_mode & S_IFMT != S_IFDIR { return "\(path.printable(limit: 300)) is a file, not a folder" }
                // Only the first missing folder needs writing into its parent; an existing
                // target folder is checked when the file is made.
                if path == folder { return nil }
                if access(path, W_OK | X_OK) != 0 {
                    return "\(path.printable(limit: 300)) does not let this user make folders in it (\(String(cString: strerror(errno))))"
                }
                return nil
            }
            guard errno == ENOENT || errno == ENOTDIR else { return "\(path.printable(limit: 300)): \(String(cString: strerror(errno)))" }
            let parent = FileName.parent(of: path)
            if parent == path || parent.isEmpty {
                if path.hasPrefix("/") { return nil }
                path = "."
            } else {
                path = parent
            }
        }
    }

    /// The reason a folder could not be created, from Foundation's error: its POSIX cause
    /// in plain words, not Foundation's "The operation could not be completed".
    /// Why a folder could not be made, right after `mkdir` failed (its `errno` stands).
    public static func reason(creating folder: String) -> String {
        let code = errno
        return whyNotCreatable(folder) ?? String(cString: strerror(code)).lowercased()
    }

    public static func reason(creating folder: String, error: Error) -> String {
        if let why = whyNotCreatable(folder) { return why }
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let code = underlying?.domain == NSPOSIXErrorDomain ? underlying?.code : nil {
            return String(cString: strerror(Int32(code))).lowercased()
        }
        return "\(error)"
    }
}
