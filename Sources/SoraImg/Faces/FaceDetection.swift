/// Face detection for code outside the prep pipeline (the sandbox checks uploads with it).
public enum FaceDetection {
    /// False when the package was built without the `Faces` trait; detection then returns nil.
    public static var isAvailable: Bool { FaceDetector.isAvailable }

    /// The faces in an encoded JPEG, PNG or WebP, upright (EXIF orientation applied), in the
    /// upright image's coordinates; nil when this build has no detector.
    public static func faces(inImage bytes: some Collection<UInt8>) throws(PrepError) -> [FaceBox]? {
        guard isAvailable else { return nil }
        try ImageProcessing.start()
        guard !bytes.isEmpty else { throw PrepError(.corrupt, "empty file") }
        do {
            let image = try VipsImage.open(SourceBytes(copying: bytes), options: "fail_on=truncated")
            return try FaceDetector.faces(in: image.autorotate())
        } catch {
            throw PrepError(.corrupt, "cannot read the image to look for faces: \(error.message)")
        }
    }
}
