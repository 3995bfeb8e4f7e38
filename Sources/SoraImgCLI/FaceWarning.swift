import SoraImg

/// The warning `prep` and `animate` print when a reference image shows a human face.
enum FaceWarning {
    static func text(_ faces: [FaceBox]) -> String {
        "the image shows \(FaceBox.describe(count: faces.count)); the Videos API rejects reference images with human faces (--faces refuse stops before writing or uploading)"
    }
}
