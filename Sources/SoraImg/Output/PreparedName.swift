import Foundation

/// Recognises soraimg's own output names, so that `soraimg prep *.jpg` run twice in one folder
/// does not prepare its earlier outputs again (`photo.1280x720.1280x720.jpg`).
public enum PreparedName {
    /// The size in `path`'s name when it is named as prep names its outputs: `STEM.WxH.EXT`,
    /// with WxH a size some known model allows and EXT one prep writes. Nil otherwise.
    public static func size(in path: String) -> VideoSize? {
        let name = (path as NSString).lastPathComponent
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3, !parts[0].isEmpty, ImageFormat(fileExtension: String(parts[parts.count - 1])) != nil,
            let size = VideoSize(parsing: String(parts[parts.count - 2]))
        else { return nil }
        let made = Set(VideoModel.catalogue.flatMap(\.model.sizes))
        return made.contains(size) ? size : nil
    }

    /// Splits `inputs` into those to prepare and those named like an earlier output. A single
    /// input is always prepared: naming one file alone says it is meant.
    public static func skippingEarlierOutputs(_ inputs: [String]) -> (prepare: [String], skipped: [String]) {
        guard inputs.count > 1 else { return (inputs, []) }
        var prepare: [String] = []
        var skipped: [String] = []
        for input in inputs {
            if input != "-", size(in: input) != nil { skipped.append(input) } else { prepare.append(input) }
        }
        return (prepare, skipped)
    }

    /// The skipped names that another input's output would be written over in this run (the
    /// same folder and stem, or the very file): those are not earlier outputs to pass over but
    /// inputs to protect, so they go back to the plan, which refuses to write over an input.
    public static func overwritten(_ skipped: [String], by preps: [PlannedPrep]) -> [String] {
        skipped.filter { name in
            let file = FileName.parent(of: name).isEmpty ? "./" + name : name
            let stem = String((file as NSString).lastPathComponent.split(separator: ".").dropLast(2).joined(separator: "."))
            return preps.contains { prep in
                switch prep.destination {
                case .directory(let folder, let outputStem):
                    outputStem == stem && FileIdentity(folder.isEmpty ? "." : folder) != nil
                        && FileIdentity(folder.isEmpty ? "." : folder) == FileIdentity(parentOf: file)
                case .file(let path):
                    FileIdentity(path) != nil && FileIdentity(path) == FileIdentity(file)
                case .standardOutput:
                    false
                }
            }
        }
    }
}
