import Foundation
import SoraImg

/// Where `inspect --preview` writes: the file named, or `DIR/STEM.preview.png` in a folder.
enum PreviewDestination {
    /// A path ending in `/`, or a folder that exists.
    static func isFolder(_ destination: String) -> Bool {
        var isDirectory: ObjCBool = false
        return destination.hasSuffix("/") || (FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    static func path(for image: String, destination: String) -> String {
        guard isFolder(destination) else { return destination }
        let stem = ((image as NSString).lastPathComponent as NSString).deletingPathExtension
        return (destination.hasSuffix("/") ? destination : destination + "/") + stem + ".preview.png"
    }

    /// PNG for `.png`, JPEG for `.jpg` and `.jpeg`; nil for anything else.
    static func format(of path: String) -> ImageFormat? {
        switch (path as NSString).pathExtension.lowercased() {
        case "png": .png
        case "jpg", "jpeg": .jpeg
        default: nil
        }
    }
}
