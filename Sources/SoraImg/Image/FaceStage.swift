/// The prep stage that looks for human faces in the upright output image, before it is encoded,
/// so a refusal happens before anything is written or uploaded.
enum FaceStage {
    /// The faces in `image` (nil when `policy` is `ignore` or there is no detector); throws a
    /// `showsFace` refusal when `policy` is `refuse` and there is one.
    static func look(at image: VipsImage, policy: FacePolicy) throws(PrepError) -> [FaceBox]? {
        guard policy != .ignore else { return nil }
        // The pixels are in memory by now: a failure is the detector's, never the input's.
        let faces: [FaceBox]?
        do {
            faces = try FaceDetector.faces(in: image)
        } catch {
            throw PrepError(.internalFailure, "the face check failed: \(error.message)")
        }
        if policy == .refuse, let faces, !faces.isEmpty {
            throw PrepError(.showsFace, "the prepared image shows \(describe(faces.count)), and the Videos API rejects reference images with human faces; use a picture without people, or --faces warn to prepare it anyway")
        }
        return faces
    }

    /// "1 human face", "3 human faces".
    static func describe(_ count: Int) -> String {
        count == 1 ? "1 human face" : "\(count) human faces"
    }
}

extension FaceBox {
    /// "1 human face", "3 human faces": the words every face message uses.
    public static func describe(count: Int) -> String { FaceStage.describe(count) }
}
